package io.cococloud.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a call produced. {@code ENVELOPE}: {@code resultJson} goes into the JSON envelope with
 * {@code status}; {@code RAW}: {@code body} and {@code headers} are sent as they are;
 * {@code ERROR}/{@code TIMEOUT}/{@code BUSY}: {@code error} says what happened;
 * {@code BAD_RESPONSE}: main() returned something HTTP cannot carry (a status that is not an
 * int, headers that are not a dict...), and {@code error} names it.
 *
 * <p>Every text is well-formed UTF-16: Python strings may hold lone surrogates ({@code '\ud800'},
 * or {@code "\udc00"} from a JSON body), which no UTF-8 response can carry. Each becomes U+FFFD,
 * the replacement character, as a UTF-8 decoder would show it; nothing is dropped.
 */
public record Outcome(Kind kind, int status, Map<String, String> headers, String resultJson, byte[] body,
        String output, String logs, String error, String traceback, long nanos) {

    public enum Kind { ENVELOPE, RAW, ERROR, TIMEOUT, BUSY, BAD_RESPONSE }

    public Outcome {
        headers = wellFormed(headers);
        resultJson = wellFormed(resultJson);
        output = wellFormed(output);
        logs = wellFormed(logs);
        error = wellFormed(error);
        traceback = wellFormed(traceback);
    }

    public boolean success() {
        return (kind == Kind.ENVELOPE || kind == Kind.RAW) && status < 400;
    }

    static Outcome failure(Kind kind, int status, String error, String output, String logs, String traceback,
            long nanos) {
        return new Outcome(kind, status, Map.of(), null, null, output, logs, error, traceback, nanos);
    }

    /** {@code text} with each lone surrogate replaced by U+FFFD; the same instance when it has none. */
    static String wellFormed(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            if (fixed == null) {
                fixed = new StringBuilder(text);
            }
            fixed.setCharAt(i, '\uFFFD');
        }
        return fixed == null ? text : fixed.toString();
    }

    private static Map<String, String> wellFormed(Map<String, String> headers) {
        boolean clean = headers.entrySet().stream()
                .allMatch(h -> wellFormed(h.getKey()) == h.getKey() && wellFormed(h.getValue()) == h.getValue());
        if (clean) {
            return headers;
        }
        Map<String, String> fixed = new LinkedHashMap<>();
        headers.forEach((name, value) -> fixed.put(wellFormed(name), wellFormed(value)));
        return fixed;
    }
}
