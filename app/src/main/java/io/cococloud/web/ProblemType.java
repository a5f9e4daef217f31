package io.cococloud.web;

import java.net.URI;

import org.springframework.http.HttpStatus;

import io.cococloud.error.ConflictException;
import io.cococloud.error.DomainException;
import io.cococloud.error.ForbiddenException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.error.TooLargeException;
import io.cococloud.error.TooManyRequestsException;
import io.cococloud.error.UnauthenticatedException;
import io.cococloud.error.UnavailableException;
import io.cococloud.error.UpstreamFailureException;

/** The stable {@code type} of every problem response (RFC 9457) of the client and admin APIs. */
public enum ProblemType {
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request"),
    VALIDATION(HttpStatus.BAD_REQUEST, "Invalid request"),
    REQUEST_TOO_LARGE(HttpStatus.BAD_REQUEST, "Request too large"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Authentication required"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden"),
    CSRF(HttpStatus.FORBIDDEN, "Missing or invalid CSRF token"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    CONFLICT(HttpStatus.CONFLICT, "Conflict"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "Internal server error"),
    /** A service the server depends on (the operator's package index) could not be read. */
    BAD_GATEWAY(HttpStatus.BAD_GATEWAY, "Bad gateway"),
    /** Not now, through no fault of the request (a before-hook did not answer in time); may succeed later. */
    UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable");

    private final HttpStatus status;
    private final String title;

    ProblemType(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI uri() {
        return URI.create("urn:cococloud:problem:" + name().toLowerCase().replace('_', '-'));
    }

    /** The type of a service's refusal. */
    public static ProblemType of(DomainException refusal) {
        return switch (refusal) {
            case InvalidInputException invalid -> VALIDATION;
            case NotFoundException notFound -> NOT_FOUND;
            case ConflictException conflict -> CONFLICT;
            case ForbiddenException forbidden -> FORBIDDEN;
            case UnauthenticatedException unauthenticated -> UNAUTHENTICATED;
            case TooManyRequestsException tooMany -> RATE_LIMITED;
            case TooLargeException tooLarge -> REQUEST_TOO_LARGE;
            case UpstreamFailureException upstream -> BAD_GATEWAY;
            case UnavailableException unavailable -> UNAVAILABLE;
        };
    }

    /** The type that fits a status Spring answered on its own (405, 415, ...). */
    static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status.value() == status && type != VALIDATION && type != REQUEST_TOO_LARGE && type != CSRF) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : MALFORMED_REQUEST;
    }
}
