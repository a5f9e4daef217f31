package io.cococloud.error;

/** The request, or what it would store, is larger than a limit; the message names the limit. */
public non-sealed class TooLargeException extends DomainException {

    public TooLargeException(String message) {
        super(message);
    }
}
