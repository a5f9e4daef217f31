package io.cococloud.error;

/** The request needs a caller and names none, or names one with credentials that do not hold. */
public non-sealed class UnauthenticatedException extends DomainException {

    public UnauthenticatedException(String message) {
        super(message);
    }
}
