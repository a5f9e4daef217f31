package io.cococloud.data;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.cococloud.web.ApiProblem;
import io.cococloud.web.ProblemType;
import io.cococloud.query.FilterException;

/**
 * The data layer's refusals name what was wrong: they are the caller's 400s on every API. Ordered first, so
 * that the general handler's catch-all does not take them for server errors.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class FilterExceptionHandler {

    @ExceptionHandler(FilterException.class)
    ResponseEntity<ProblemDetail> refused(FilterException e, HttpServletRequest request) {
        ProblemDetail problem = ApiProblem.problem(ProblemType.VALIDATION, e.getMessage());
        problem.setInstance(URI.create(request.getRequestURI()));
        if (e.field() != null) {
            problem.setProperty("field", e.field());
        }
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }
}
