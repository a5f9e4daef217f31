package io.cococloud.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the domain refuses. The message is a sentence for the person who made the request; properties added
 * with {@link #with} ({@code field}: the request's field as spelled in JSON, {@code file} and {@code line}: where
 * in the code) let a client show the refusal next to what it is about.
 */
public abstract sealed class DomainException extends RuntimeException
        permits InvalidInputException, NotFoundException, ConflictException, ForbiddenException,
        UnauthenticatedException, TooManyRequestsException, TooLargeException, UpstreamFailureException,
        UnavailableException {

    private final Map<String, Object> properties = new LinkedHashMap<>();

    protected DomainException(String message) {
        super(message);
    }

    protected DomainException(String message, Throwable cause) {
        super(message, cause);
    }

    /** This refusal with one more property; a null value adds nothing. */
    public DomainException with(String property, Object value) {
        if (value != null) {
            properties.put(property, value);
        }
        return this;
    }

    /** A property added with {@link #with}, or null. */
    public Object property(String name) {
        return properties.get(name);
    }

    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(properties);
    }
}
