package io.cococloud.function;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.cococloud.runtime.FunctionCode;
import io.cococloud.runtime.Invocation;

/** Turns a servlet request into the runtime's plain {@link Invocation}. */
final class HttpInvocations {

    private HttpInvocations() {}

    static Invocation from(HttpServletRequest request, FunctionCode function, String path, byte[] body,
            Map<String, Object> user) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                headers.add(Map.entry(name, value));
            }
        }
        String queryString = request.getQueryString() == null ? "" : request.getQueryString();
        String uri = request.getRequestURI();
        String mountPath = uri.endsWith(path) ? uri.substring(0, uri.length() - path.length()) : uri;
        return new Invocation(function, null, request.getMethod(), mountPath, "", path, queryString, headers,
                query(queryString), body, Map.of(), user, peer(request), null);
    }

    static Invocation.Peer peer(HttpServletRequest request) {
        return new Invocation.Peer(request.getScheme(), request.getServerName(), request.getServerPort(),
                request.getRemoteAddr());
    }

    static byte[] body(HttpServletRequest request) throws IOException {
        return request.getInputStream().readAllBytes();
    }

    /** Name/value pairs in order; a malformed escape is kept as written rather than refused. */
    static List<Map.Entry<String, String>> query(String raw) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return pairs;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            pairs.add(Map.entry(decode(eq < 0 ? part : part.substring(0, eq)), eq < 0 ? "" : decode(part.substring(eq + 1))));
        }
        return pairs;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
