package io.cococloud.function;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import io.cococloud.project.ProjectDirectory;

/**
 * Answers browsers' CORS preflights on a site's URLs by its project's settings, as {@link FunctionPreflights}
 * does for function URLs; also on the project's origin, whose requests reach {@code /p/} forwarded.
 */
@Configuration(proxyBeanMethods = false)
class SitePreflights {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> sitePreflightFilter(SiteService sites, ProjectDirectory projects,
            FunctionCors cors, ExecutionResponses responses) {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                    FilterChain chain) throws ServletException, IOException {
                if (!FunctionCors.isPreflight(request)) {
                    chain.doFilter(request, response);
                    return;
                }
                Optional<UUID> project = projectOf(request.getRequestURI(), projects)
                        .filter(id -> sites.live(id).isPresent());
                if (project.isPresent() && cors.allowPreflight(request, response, project.get())) {
                    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                    return;
                }
                responses.write(response, responses.refusal(403, "Pages on " + request.getHeader("Origin")
                        + " may not call this site (no such site, or its project's CORS settings)"));
            }

            @Override
            protected boolean shouldNotFilterAsyncDispatch() {
                return true;
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/p/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    private static Optional<UUID> projectOf(String path, ProjectDirectory projects) {
        if (!path.startsWith(SiteController.MOUNT)) {
            return Optional.empty();
        }
        int end = path.indexOf('/', SiteController.MOUNT.length());
        String ref = end < 0 ? path.substring(SiteController.MOUNT.length())
                : path.substring(SiteController.MOUNT.length(), end);
        return ref.isEmpty() ? Optional.empty() : projects.idOf(ref);
    }
}
