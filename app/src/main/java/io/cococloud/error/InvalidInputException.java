package io.cococloud.error;

/** The request names something wrongly or holds a value that is not allowed; the message says which. */
public non-sealed class InvalidInputException extends DomainException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The refusal of one field of the request. */
    public static InvalidInputException atField(String field, String message) {
        InvalidInputException invalid = new InvalidInputException(message);
        invalid.with("field", field);
        return invalid;
    }
}
