package io.cococloud.web;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A 4xx answer that a service or controller throws; rendered as RFC 9457 problem details.
 * The detail is a sentence for the person reading it: it names what was wrong. Properties added with
 * {@link #with} (a {@code field} of the request, a {@code file} and {@code line} of code) let a client show the
 * problem next to what it is about.
 */
public class ApiProblem extends ErrorResponseException {

    private ApiProblem(ProblemType type, String detail, HttpHeaders headers) {
        super(type.status(), problem(type, detail), null);
        getHeaders().addAll(headers);
    }

    /**
     * This problem with one more property in its body: {@code field} (the request's field, as it is spelled in
     * JSON), {@code file} or {@code line} (where in the code). A null value adds nothing.
     */
    public ApiProblem with(String property, Object value) {
        if (value != null) {
            getBody().setProperty(property, value);
        }
        return this;
    }

    /** A property added with {@link #with}, or null. */
    public Object property(String name) {
        var properties = getBody().getProperties();
        return properties == null ? null : properties.get(name);
    }

    public static ProblemDetail problem(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        return problem;
    }

    public static ApiProblem of(ProblemType type, String detail) {
        return new ApiProblem(type, detail, HttpHeaders.EMPTY);
    }

    public static ApiProblem notFound(String what) {
        return of(ProblemType.NOT_FOUND, what + " does not exist or you cannot see it");
    }

    public static ApiProblem badRequest(String detail) {
        return of(ProblemType.VALIDATION, detail);
    }

    public static ApiProblem conflict(String detail) {
        return of(ProblemType.CONFLICT, detail);
    }

    public static ApiProblem forbidden(String detail) {
        return of(ProblemType.FORBIDDEN, detail);
    }

    public static ApiProblem unauthenticated(String detail) {
        return of(ProblemType.UNAUTHENTICATED, detail);
    }

    public static ApiProblem rateLimited(String detail, Duration retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        return new ApiProblem(ProblemType.RATE_LIMITED, detail, headers);
    }
}
