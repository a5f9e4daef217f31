package io.cococloud.query;

import io.cococloud.error.InvalidInputException;

/**
 * A filter, field name or value that cannot be turned into SQL. The message names the culprit (the field,
 * operator or value) so that it can be shown to the caller as it is: Python code sees it as a
 * {@code ValueError}, REST clients as a 400 problem detail (an invalid input like any other).
 */
public class FilterException extends InvalidInputException {

    /** @param message what is wrong, naming the offending field, operator or value */
    public FilterException(String message) {
        super(message);
    }

    /** The admin API request's field this refusal is about ({@code permissions}), for a form to show it there. */
    public FilterException withField(String requestField) {
        if (property("field") == null) {
            with("field", requestField);
        }
        return this;
    }

    /** The request's field, or null when the refusal is not about one. */
    public String field() {
        return (String) property("field");
    }
}
