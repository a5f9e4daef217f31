package io.cococloud.runtime;

import java.util.Map;

/**
 * What a call produced. {@code ENVELOPE}: {@code resultJson} goes into the JSON envelope with
 * {@code status}; {@code RAW}: {@code body} and {@code headers} are sent as they are;
 * {@code ERROR}/{@code TIMEOUT}/{@code BUSY}: {@code error} says what happened.
 */
public record Outcome(Kind kind, int status, Map<String, String> headers, String resultJson, byte[] body,
        String output, String logs, String error, String traceback, long nanos) {

    public enum Kind { ENVELOPE, RAW, ERROR, TIMEOUT, BUSY }

    public boolean success() {
        return (kind == Kind.ENVELOPE || kind == Kind.RAW) && status < 400;
    }

    static Outcome failure(Kind kind, int status, String error, String output, String logs, String traceback,
            long nanos) {
        return new Outcome(kind, status, Map.of(), null, null, output, logs, error, traceback, nanos);
    }
}
