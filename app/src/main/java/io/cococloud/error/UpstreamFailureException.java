package io.cococloud.error;

/** A service the server depends on for this request (the operator's package index) could not be used. */
public non-sealed class UpstreamFailureException extends DomainException {

    public UpstreamFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
