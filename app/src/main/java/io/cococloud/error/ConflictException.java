package io.cococloud.error;

/** The request is valid but clashes with what is stored (a name taken, a version moved on). */
public non-sealed class ConflictException extends DomainException {

    public ConflictException(String message) {
        super(message);
    }
}
