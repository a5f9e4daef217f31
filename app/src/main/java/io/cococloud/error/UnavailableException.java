package io.cococloud.error;

/**
 * The request could not be served now, through no fault of its own, and may succeed later (a before-hook that did
 * not answer in time). Answered 503.
 */
public non-sealed class UnavailableException extends DomainException {

    public UnavailableException(String message) {
        super(message);
    }
}
