package io.cococloud.function;

import java.io.IOException;
import java.io.InputStream;
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

    /**
     * The request's body. Most calls have none, and {@code readAllBytes} alone allocates a 16 KB buffer to learn that
     * (~30 % of what a warm GET call allocated, so ~30 % of the young collections under load): a declared length is
     * read as declared, and a body of unknown length only once its first byte is there.
     */
    static byte[] body(HttpServletRequest request) throws IOException {
        InputStream in = request.getInputStream();
        long declared = request.getContentLengthLong();
        if (declared >= 0 && declared <= Integer.MAX_VALUE - 8) { // RequestLimitsFilter has refused a larger one
            return in.readNBytes((int) declared);
        }
        int first = in.read();
        if (first < 0) {
            return new byte[0];
        }
        byte[] rest = in.readAllBytes();
        byte[] body = new byte[rest.length + 1];
        body[0] = (byte) first;
        System.arraycopy(rest, 0, body, 1, rest.length);
        return body;
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
