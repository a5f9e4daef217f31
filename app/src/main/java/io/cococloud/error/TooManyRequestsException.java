package io.cococloud.error;

import java.time.Duration;

/** The caller has used up a limit for now; {@link #retryAfter()} says when trying again can succeed. */
public non-sealed class TooManyRequestsException extends DomainException {

    private final Duration retryAfter;

    public TooManyRequestsException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
