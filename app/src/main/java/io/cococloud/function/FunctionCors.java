package io.cococloud.function;

import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import io.cococloud.project.ProjectCors;

/**
 * CORS for function URLs, by the function's project's allowed origins (any by default): a preflight is answered
 * by the server, an answer is made readable to the page. Never with credentials: an app user is named by the
 * Authorization header, which a page sends on purpose, not by a cookie the browser adds on its own.
 */
@Component
class FunctionCors {

    private static final String METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final String DEFAULT_HEADERS = "authorization, content-type, x-api-key";

    private final ProjectCors cors;

    FunctionCors(ProjectCors cors) {
        this.cors = cors;
    }

    static boolean isPreflight(HttpServletRequest request) {
        return "OPTIONS".equals(request.getMethod()) && request.getHeader(HttpHeaders.ORIGIN) != null
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }

    /** @return whether the preflight's origin may call the project; the CORS headers are set when it may */
    boolean allowPreflight(HttpServletRequest request, HttpServletResponse response, UUID projectId) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        if (!cors.allows(projectId, origin)) {
            return false;
        }
        String requested = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
        // A function reads whatever headers its page sends: any the page asks for (the origin is trusted).
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
                requested == null || requested.isBlank() ? DEFAULT_HEADERS : requested);
        response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600");
        return true;
    }

    /**
     * Lets a page on an allowed origin read the answer, unless the function set its own
     * Access-Control-Allow-Origin (its own policy wins).
     */
    void allowReading(HttpServletRequest request, HttpServletResponse response, UUID projectId,
            Map<String, String> functionHeaders) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || functionHeaders.keySet().stream()
                .anyMatch(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN::equalsIgnoreCase)) {
            return;
        }
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        if (cors.allows(projectId, origin)) {
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.setHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Execution-Id, Retry-After");
        }
    }
}
