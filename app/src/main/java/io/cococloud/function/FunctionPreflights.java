package io.cococloud.function;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * Answers browsers' CORS preflights on function and site URLs by their project's settings, before Spring MVC
 * (which would refuse every preflight of a handler without a CORS configuration of its own). Any other OPTIONS
 * request goes on to the function like any other method. Sites are also reached forwarded, from the root of
 * their project's origin.
 */
@Configuration(proxyBeanMethods = false)
class FunctionPreflights {

    private static final Pattern BY_ID = Pattern.compile("^/functions/([0-9a-fA-F-]{36})/(?:execute|invoke|async-invoke)(?:/.*)?$");
    private static final Pattern BY_NAME = Pattern.compile("^/functions/([^/]+)/func/([^/]+)$");

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> functionPreflightFilter(FunctionRegistry registry, SiteService sites,
            ProjectDirectory projects, FunctionCors cors, ExecutionResponses responses) {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                    FilterChain chain) throws ServletException, IOException {
                if (!FunctionCors.isPreflight(request)) {
                    chain.doFilter(request, response);
                    return;
                }
                String path = request.getRequestURI();
                boolean site = path.startsWith(SiteController.MOUNT);
                Optional<UUID> project = site ? siteProjectOf(path, sites, projects)
                        : functionProjectOf(path, registry, projects);
                if (project.isPresent() && cors.allowPreflight(request, response, project.get())) {
                    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                    return;
                }
                String what = site ? "site" : "function";
                responses.write(response, responses.refusal(403, "Pages on " + request.getHeader("Origin")
                        + " may not call this " + what + " (no such " + what + ", or its project's CORS settings)"));
            }

            @Override
            protected boolean shouldNotFilterAsyncDispatch() {
                return true;
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/functions/*", "/p/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /** The project of /p/{project}/..., when it has a live site. */
    private static Optional<UUID> siteProjectOf(String path, SiteService sites, ProjectDirectory projects) {
        int end = path.indexOf('/', SiteController.MOUNT.length());
        String ref = end < 0 ? path.substring(SiteController.MOUNT.length())
                : path.substring(SiteController.MOUNT.length(), end);
        return ref.isEmpty() ? Optional.empty() : projects.idOf(ref).filter(id -> sites.live(id).isPresent());
    }

    private static Optional<UUID> functionProjectOf(String path, FunctionRegistry registry,
            ProjectDirectory projects) {
        Matcher byId = BY_ID.matcher(path);
        if (byId.matches()) {
            try {
                return registry.byId(UUID.fromString(byId.group(1))).map(DeployedFunction::projectId);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        Matcher byName = BY_NAME.matcher(path);
        if (byName.matches()) {
            return projects.idOf(byName.group(1)).flatMap(id -> registry.byName(id, byName.group(2)))
                    .map(DeployedFunction::projectId);
        }
        return Optional.empty();
    }
}
