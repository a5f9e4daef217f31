package io.cococloud.storage;

import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.UriUtils;

/**
 * The part of a request's path that a mapping's trailing {@code /**} matched, for file paths that contain
 * slashes. Taken from the raw URI and decoded exactly once, so {@code %252e} arrives as the text {@code %2e}
 * (which {@link StaticPaths} refuses) and never as a dot.
 */
final class RestOfPath {

    private RestOfPath() {
    }

    /** The rest of the path, or null when it is not valid percent-encoding. */
    static String of(HttpServletRequest request) {
        String pattern = (String) request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        // "/static/{projectId}/**" has two segments before the "**"
        int fixed = pattern.substring(0, pattern.length() - "/**".length()).split("/").length - 1;
        String raw = request.getRequestURI().substring(request.getContextPath().length());
        int at = 0;
        for (int i = 0; i < fixed; i++) {
            at = raw.indexOf('/', at + 1);
            if (at < 0) {
                return "";
            }
        }
        try {
            return UriUtils.decode(raw.substring(at + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
