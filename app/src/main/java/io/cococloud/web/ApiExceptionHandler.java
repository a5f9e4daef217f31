package io.cococloud.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import io.cococloud.error.DomainException;
import io.cococloud.error.TooManyRequestsException;
import io.cococloud.json.UnstorableValueException;

/**
 * Turns every exception of the client and admin APIs into RFC 9457 problem details with a
 * stable {@link ProblemType}: a clear 4xx naming what was wrong, or a 500 without internals.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof RequestLimitsFilter.BodyTooLargeException tooLarge) {
                return answer(ProblemType.REQUEST_TOO_LARGE, tooLarge.getMessage(), request);
            }
        }
        // Well-formed JSON holding a value that cannot be stored is invalid rather than malformed.
        ProblemType type = ex.getCause() instanceof UnstorableValueException ? ProblemType.VALIDATION
                : ProblemType.MALFORMED_REQUEST;
        ProblemDetail problem = problem(type, describe(ex), request);
        if (ex.getCause() instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            problem.setProperty("field", fieldPath(databind));
        }
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> Map.of("field", snakeCase(e.getField()), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
        String detail = errors.stream().map(e -> e.get("field") + " " + e.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = problem(ProblemType.VALIDATION, detail.isEmpty() ? "Invalid request body" : detail,
                request);
        problem.setProperty("errors", errors);
        if (!errors.isEmpty()) {
            problem.setProperty("field", errors.getFirst().get("field"));
        }
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /** Spring's own 4xx answers (405, 415, 404 of unknown paths...) keep their status but get our types. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
            ProblemType type = ProblemType.forStatus(status.value());
            problem.setType(type.uri());
            problem.setTitle(type.title());
            problem.setInstance(URI.create(path(request)));
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException ex, WebRequest request) {
        String expected = ex.getRequiredType() == null ? "a valid value" : ex.getRequiredType().getSimpleName();
        ProblemDetail problem = problem(ProblemType.VALIDATION,
                ex.getName() + " '" + ex.getValue() + "' is not a valid " + expected, request);
        problem.setProperty("field", ex.getName());
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /** A race two requests both won past the service's checks (e.g. the same slug at once). */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> integrity(DataIntegrityViolationException ex, WebRequest request) {
        log.info("Constraint violation answered with 409: {}", ex.getMostSpecificCause().getMessage());
        return answer(ProblemType.CONFLICT, "The change conflicts with existing data (a duplicate?)", request);
    }

    /** A service's refusal: its problem type by kind, its message as the detail, its properties as they are. */
    @ExceptionHandler(DomainException.class)
    ResponseEntity<Object> refused(DomainException ex, WebRequest request) {
        ProblemDetail problem = problem(ProblemType.of(ex), ex.getMessage(), request);
        ex.properties().forEach(problem::setProperty);
        var answer = ResponseEntity.status(problem.getStatus());
        if (ex instanceof TooManyRequestsException tooMany) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, tooMany.retryAfter().toSeconds())));
        }
        return answer.body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
        log.error("Unexpected error on {}", path(request), ex);
        return answer(ProblemType.INTERNAL, "The server failed to answer this request; it has been logged.", request);
    }

    private ResponseEntity<Object> answer(ProblemType type, String detail, WebRequest request) {
        ProblemDetail problem = problem(type, detail, request);
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static ProblemDetail problem(ProblemType type, String detail, WebRequest request) {
        ProblemDetail problem = ApiProblem.problem(type, detail);
        problem.setInstance(URI.create(path(request)));
        return problem;
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "";
    }

    /** A sentence about what is wrong with the body, without Java class names. */
    static String describe(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof UnstorableValueException unstorable) {
            return unstorable.describe();
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + fieldPath(unknown) + "'";
        }
        if (cause instanceof InvalidFormatException invalid) {
            return "Field '" + fieldPath(invalid) + "' has an invalid value '" + invalid.getValue() + "'";
        }
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return "Field '" + fieldPath(mismatch) + "' must be " + typeName(mismatch.getTargetType());
        }
        if (cause instanceof MismatchedInputException mismatch) {
            return mismatch.getTargetType() == null ? "The request body is missing or empty"
                    : "The request body must be a JSON object";
        }
        if (cause instanceof JacksonException json) {
            return "Malformed JSON: " + json.getOriginalMessage()
                    + (json.getLocation() == null ? ""
                            : " (line " + json.getLocation().getLineNr() + ", column "
                                    + json.getLocation().getColumnNr() + ")");
        }
        return "The request body is missing or is not valid JSON";
    }

    private static String fieldPath(DatabindException ex) {
        return ex.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
