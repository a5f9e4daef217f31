package io.cococloud.embeddedpg;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * While the embedded PostgreSQL is being restarted, answers at once with 503 and {@code Retry-After}
 * what would otherwise wait for a connection and fail: a problem document on the admin and client APIs
 * and static files, the JSON error of docs/functions.md#errors on execution URLs ({@code {"error":
 * "ServiceUnavailable", "message": ...}}). Health and the console's own files still answer.
 */
final class DatabaseDownFilter extends OncePerRequestFilter {

    /** Seconds a client should wait: a crashed server is usually back within one or two. */
    static final String RETRY_AFTER_SECONDS = "2";
    static final String PROBLEM_TYPE = "urn:cococloud:problem:database-unavailable";

    private final BooleanSupplier databaseUp;
    private final JsonMapper json;

    DatabaseDownFilter(BooleanSupplier databaseUp, JsonMapper json) {
        this.databaseUp = databaseUp;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/actuator/") || path.equals("/actuator") || path.startsWith("/console/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (databaseUp.getAsBoolean()) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        response.setCharacterEncoding("UTF-8");
        Map<String, Object> body = new LinkedHashMap<>();
        String path = request.getRequestURI();
        if (path.startsWith("/functions/") || path.startsWith("/p/")) {
            body.put("error", "ServiceUnavailable");
            body.put("message", SupervisedDataSource.DOWN_MESSAGE);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        } else {
            body.put("type", PROBLEM_TYPE);
            body.put("title", "Service unavailable");
            body.put("status", HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            body.put("detail", SupervisedDataSource.DOWN_MESSAGE);
            body.put("instance", path);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        }
        json.writeValue(response.getOutputStream(), body);
    }
}
