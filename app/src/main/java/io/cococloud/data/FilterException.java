package io.cococloud.data;

/**
 * A filter, field name or value that cannot be turned into SQL. The message names the culprit (the field,
 * operator or value) so that it can be shown to the caller as it is: Python code sees it as a
 * {@code ValueError}, REST clients as a 400 problem detail.
 */
public class FilterException extends IllegalArgumentException {

    /** @param message what is wrong, naming the offending field, operator or value */
    public FilterException(String message) {
        super(message);
    }
}
