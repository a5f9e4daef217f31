package io.cococloud.function;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.runtime.Outcome;

/**
 * Turns what a function produced into HTTP, per docs/functions.md#responses and #limits: the JSON envelope
 * ({@code success, result, output, error, execution_time}), the raw response of an
 * HTMLResponse, or {@code {"error": "BadResponse"}} (502) when what the function returned
 * cannot be sent. The admin API's test call shows exactly what the public URL would send.
 */
@Component
class ExecutionResponses {

    static final int MAX_RESPONSE_HEADER_BYTES = 8 * 1024;
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final String JSON_TYPE = MediaType.APPLICATION_JSON_VALUE;

    private final JsonMapper json;

    ExecutionResponses(JsonMapper json) {
        this.json = json;
    }

    /** An HTTP response, ready to send. */
    record Rendered(int status, Map<String, String> headers, byte[] body) {}

    Rendered render(Outcome outcome) {
        if (outcome.kind() == Outcome.Kind.BAD_RESPONSE) {
            return plainError(502, "BadResponse", outcome.error());
        }
        String problem = invalid(outcome);
        if (problem != null) {
            return plainError(502, "BadResponse", problem);
        }
        if (outcome.kind() == Outcome.Kind.RAW) {
            return new Rendered(outcome.status(), outcome.headers(), outcome.body());
        }
        Map<String, String> headers = new LinkedHashMap<>(outcome.headers());
        headers.put("Content-Type", JSON_TYPE);
        return new Rendered(outcome.status(), headers, envelope(outcome.success(), outcome.resultJson(),
                outcome.output(), outcome.error(), outcome.nanos() / 1e9));
    }

    /** The envelope of a call that never reached Python (unknown function, 401, ...). */
    Rendered refusal(int status, String error) {
        return new Rendered(status, Map.of("Content-Type", JSON_TYPE), envelope(false, null, "", error, 0.0));
    }

    /**
     * 308 to the function's project origin: the same method and body go there. The envelope says why, for
     * clients that do not follow redirects.
     */
    Rendered moved(String location) {
        return new Rendered(308, Map.of("Content-Type", JSON_TYPE, "Location", location), envelope(false, null, "",
                "This function is served at its project's address: " + location, 0.0));
    }

    Rendered invalidArgument(String message) {
        return plainError(400, "InvalidArgument", message);
    }

    /** 202 to an asynchronous call: the id its execution is recorded under. */
    Rendered accepted(UUID executionId) {
        return new Rendered(202, Map.of("Content-Type", JSON_TYPE), json.writeValueAsBytes(new Accepted(executionId)));
    }

    void write(HttpServletResponse response, Rendered rendered) throws IOException {
        response.setStatus(rendered.status());
        rendered.headers().forEach(response::addHeader);
        response.setContentLength(rendered.body().length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(rendered.body());
        }
    }

    /**
     * The envelope of docs/functions.md, its keys in this order. {@code result} is already JSON (written by the
     * prelude's json.dumps); {@code execution_time} is seconds with microsecond precision, as a plain decimal
     * (0.000805, not 8.05E-4).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"success", "result", "output", "error", "execution_time"})
    record Envelope(boolean success, @JsonRawValue String result, String output, String error,
            @JsonProperty("execution_time") BigDecimal executionTime) {

        Envelope(boolean success, String result, String output, String error, double seconds) {
            this(success, result, output == null ? "" : output, error,
                    BigDecimal.valueOf(seconds).setScale(6, RoundingMode.HALF_UP));
        }
    }

    record Accepted(@JsonProperty("execution_id") UUID executionId) {}

    /** What a function's URL answers when what the function returned cannot be sent, and other plain errors. */
    @JsonPropertyOrder({"error", "message"})
    record PlainError(String error, String message) {}

    private byte[] envelope(boolean success, String resultJson, String output, String error, double seconds) {
        return json.writeValueAsBytes(new Envelope(success, resultJson, output, error, seconds));
    }

    private Rendered plainError(int status, String error, String message) {
        return new Rendered(status, Map.of("Content-Type", JSON_TYPE),
                json.writeValueAsBytes(new PlainError(error, message)));
    }

    /** Why the outcome cannot be sent as HTTP, or null when it can. */
    private static String invalid(Outcome outcome) {
        if (outcome.status() < 200 || outcome.status() > 599) {
            return "The function returned HTTP status " + outcome.status() + "; it must be between 200 and 599";
        }
        int size = 0;
        for (Map.Entry<String, String> header : outcome.headers().entrySet()) {
            if (!HEADER_NAME.matcher(header.getKey()).matches()) {
                return "The function returned an invalid header name '" + header.getKey() + "'";
            }
            if (header.getValue().indexOf('\r') >= 0 || header.getValue().indexOf('\n') >= 0) {
                return "The header '" + header.getKey() + "' contains a line break";
            }
            if (header.getKey().toLowerCase(Locale.ROOT).equals("content-length")) {
                return "The function may not set Content-Length; the server sets it";
            }
            size += header.getKey().length() + header.getValue().length();
        }
        if (size > MAX_RESPONSE_HEADER_BYTES) {
            return "Response headers are " + size + " bytes; the limit is " + MAX_RESPONSE_HEADER_BYTES;
        }
        return null;
    }
}
