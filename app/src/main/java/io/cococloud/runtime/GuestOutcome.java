package io.cococloud.runtime;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.graalvm.polyglot.Value;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the outcome Python's invoke loop returns (cococloud/responses.py's {@code Outcome}, named fields) into an
 * {@link Outcome}: the one place where the runtime's answer crosses back into Java.
 */
final class GuestOutcome {

    private GuestOutcome() {}

    @SuppressWarnings("unchecked")
    static Outcome read(Value result, String output, String logs, long nanos, JsonMapper json) {
        String kind = result.getMember("kind").asString();
        int status = result.getMember("status").asInt();
        String body = result.getMember("body").asString();
        Value headersJson = result.getMember("headers");
        Map<String, String> headers = new LinkedHashMap<>();
        if (!headersJson.isNull()) {
            json.readValue(headersJson.asString(), Map.class).forEach((k, v) -> headers.put(String.valueOf(k),
                    String.valueOf(v)));
        }
        return switch (kind) {
            case "envelope" -> new Outcome(Outcome.Kind.ENVELOPE, status, headers, body, null, output, logs, null,
                    null, nanos);
            case "raw" -> new Outcome(Outcome.Kind.RAW, status, headers, null,
                    result.getMember("binary").asBoolean() ? body.getBytes(StandardCharsets.ISO_8859_1)
                            : Outcome.wellFormed(body).getBytes(StandardCharsets.UTF_8),
                    output, logs, null, null, nanos);
            // What the function answered cannot be sent (Python named it): the function's mistake, a 502.
            case "bad_response" -> Outcome.failure(Outcome.Kind.BAD_RESPONSE, 502, body, output, logs, null, nanos);
            default -> {
                Value traceback = result.getMember("traceback");
                yield Outcome.failure(Outcome.Kind.ERROR, status, body, output, logs,
                        traceback.isNull() ? null : traceback.asString(), nanos);
            }
        };
    }
}
