package io.cococloud.template;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.error.InvalidInputException;

/** The sample context of a preview (a template's, an email template's), checked as the admin API takes it. */
public final class TemplatePreview {

    /** A context is sample data typed into the console, not a data set. */
    public static final int MAX_CONTEXT_BYTES = 64 * 1024;

    private TemplatePreview() {
    }

    /**
     * A render context as functions pass theirs (a JSON object read into plain maps and lists), or an empty one;
     * refused naming {@code context} when it is not an object or is over 64 KB as JSON text.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> context(JsonMapper json, JsonNode context) {
        if (context == null || context.isNull()) {
            return Map.of();
        }
        if (!context.isObject()) {
            throw InvalidInputException.atField("context",
                    "context must be a JSON object (the names the template uses)");
        }
        String text = json.writeValueAsString(context);
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_CONTEXT_BYTES) {
            throw InvalidInputException.atField("context",
                    "context is " + bytes + " bytes as JSON; the limit is " + MAX_CONTEXT_BYTES);
        }
        return json.readValue(text, Map.class);
    }
}
