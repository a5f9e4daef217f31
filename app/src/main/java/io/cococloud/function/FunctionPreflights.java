package io.cococloud.function;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * Answers browsers' CORS preflights on function URLs by the function's project's settings, before Spring MVC
 * (which would refuse every preflight of a handler without a CORS configuration of its own). Any other OPTIONS
 * request goes on to the function like any other method.
 */
@Configuration(proxyBeanMethods = false)
class FunctionPreflights {

    private static final Pattern BY_ID = Pattern.compile("^/functions/([0-9a-fA-F-]{36})/(?:execute|invoke|async-invoke)(?:/.*)?$");
    private static final Pattern BY_NAME = Pattern.compile("^/functions/([^/]+)/func/([^/]+)$");

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> functionPreflightFilter(FunctionRegistry registry,
            ProjectDirectory projects, FunctionCors cors, ExecutionResponses responses) {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                    FilterChain chain) throws ServletException, IOException {
                if (!FunctionCors.isPreflight(request)) {
                    chain.doFilter(request, response);
                    return;
                }
                Optional<UUID> project = projectOf(request.getRequestURI(), registry, projects);
                if (project.isPresent() && cors.allowPreflight(request, response, project.get())) {
                    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                    return;
                }
                responses.write(response, responses.refusal(403, "Pages on " + request.getHeader("Origin")
                        + " may not call this function (no such function, or its project's CORS settings)"));
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/functions/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    private static Optional<UUID> projectOf(String path, FunctionRegistry registry, ProjectDirectory projects) {
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
