package io.cococloud.storage;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.fileupload.InvalidFileNameException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

import io.cococloud.web.ApiProblem;
import io.cococloud.web.ProblemType;

/**
 * A multipart body the server could not take apart (cut off, malformed, over the request limits) is the
 * uploader's 400, with the reason, rather than the general handler's 500.
 */
@RestControllerAdvice(assignableTypes = {StaticAdminController.class, DocumentFilesController.class,
        ClientFilesController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class UploadExceptionHandler {

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> unreadable(MultipartException e, HttpServletRequest request) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        ProblemDetail problem = e instanceof MaxUploadSizeExceededException
                ? ApiProblem.problem(ProblemType.REQUEST_TOO_LARGE, "The upload is larger than the server accepts"
                        + " in one request (" + root.getMessage() + ")")
                : ApiProblem.problem(ProblemType.MALFORMED_REQUEST, reason(e));
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /**
     * Why a multipart body could not be taken apart. Tomcat refuses a file name with a NUL in it, and
     * its message quotes the name with the NUL raw: name it with the NUL spelled out instead.
     */
    static String reason(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidFileNameException badName) {
                return "The file name '" + badName.getName().replace("\0", "\\u0000")
                        + "' contains a NUL character (\\u0000)";
            }
            root = t;
        }
        return "The multipart body could not be read: " + root.getMessage();
    }
}
