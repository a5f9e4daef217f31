package io.cococloud.json;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * JSON that parses but holds a value PostgreSQL cannot store as sent: a NUL character, a lone
 * surrogate, or a number outside the range of a double. {@link #describe()} names the field.
 */
public final class UnstorableValueException extends MismatchedInputException {

    private final String reason;

    UnstorableValueException(JsonParser parser, String reason) {
        super(parser, reason);
        this.reason = reason;
    }

    /** What is wrong, without the field ("contains a NUL character ..."). */
    public String reason() {
        return reason;
    }

    /** The dotted path of the offending value ("data.tags[2]"), or "" for the top-level value. */
    public String field() {
        StringBuilder path = new StringBuilder();
        for (Reference reference : getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** A sentence naming the field: "'data.title' contains a NUL character ...". */
    public String describe() {
        String field = field();
        return (field.isEmpty() ? "The value" : "'" + field + "'") + " " + reason;
    }
}
