package io.cococloud.error;

/** The caller is known but lacks the right; the message says which right is needed. */
public non-sealed class ForbiddenException extends DomainException {

    public ForbiddenException(String message) {
        super(message);
    }
}
