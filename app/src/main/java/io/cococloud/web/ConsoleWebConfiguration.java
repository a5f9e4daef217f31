package io.cococloud.web;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the console at /console/ from the web-console folder (packaged as classpath:/console/), and its
 * libraries (WebJars) at /console/vendor/.
 * Boot's default static mapping of /** is off (spring.web.resources.add-mappings=false): the
 * root URL space belongs to the APIs and to function routes.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleWebConfiguration implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/**")
                .addResourceLocations("classpath:/console/")
                // Revalidated on every load, so an upgraded server never runs a stale console.
                .setCacheControl(CacheControl.noCache().cachePrivate())
                .resourceChain(true);
        // The console's browser libraries from WebJars, by version-less paths (webjars-locator-lite finds the
        // version): /console/vendor/lit-html/lit-html.js. Revalidated like the console, so an upgrade shows.
        registry.addResourceHandler("/console/vendor/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .setCacheControl(CacheControl.noCache().cachePrivate())
                .resourceChain(true);
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/console/");
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }
}
