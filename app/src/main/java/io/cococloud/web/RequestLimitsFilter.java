package io.cococloud.web;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The request limits of docs/functions.md#limits, for every surface: headers (names and values
 * together) 8 KB, path plus query 4 KB, body 32 MB. Runs first, so an oversized request is
 * answered with a clear 400 before anything else reads it. Execution URLs answer in the
 * function envelope ({@code {"error": "InvalidArgument", ...}}), the APIs with problem details.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestLimitsFilter extends OncePerRequestFilter {

    static final int MAX_HEADER_BYTES = 8 * 1024;
    static final int MAX_URL_BYTES = 4 * 1024;
    static final long MAX_BODY_BYTES = 32L * 1024 * 1024;
    /** An asynchronous call's body is stored until the call has run: 128 KB, as Function Compute's. */
    static final long MAX_ASYNC_BODY_BYTES = 128L * 1024;

    private final ProblemResponses problems;
    private final JsonMapper json;

    RequestLimitsFilter(ProblemResponses problems, JsonMapper json) {
        this.problems = problems;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String violation = violation(request);
        if (violation != null) {
            reject(request, response, violation);
            return;
        }
        try {
            chain.doFilter(new LimitedBodyRequest(request), response);
        } catch (BodyTooLargeException | ServletException e) {
            // A chunked body found too large while a handler that reads the stream itself (a function's execution
            // URL) was reading it: answer as for a body announced too large, never as a server failure.
            if (!(tooLarge(e) instanceof BodyTooLargeException tooLarge) || response.isCommitted()) {
                throw e;
            }
            response.reset();
            reject(request, response, tooLarge.getMessage());
        }
    }

    private static Throwable tooLarge(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException) {
                return t;
            }
        }
        return null;
    }

    private static String violation(HttpServletRequest request) {
        int headerBytes = 0;
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                headerBytes += name.length() + value.length();
            }
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            return "Request headers are " + headerBytes + " bytes; the limit is " + MAX_HEADER_BYTES;
        }
        int urlBytes = request.getRequestURI().length()
                + (request.getQueryString() == null ? 0 : request.getQueryString().length() + 1);
        if (urlBytes > MAX_URL_BYTES) {
            return "Path and query are " + urlBytes + " bytes; the limit is " + MAX_URL_BYTES;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            return "The body is " + request.getContentLengthLong() + " bytes; the limit is " + MAX_BODY_BYTES;
        }
        if (request.getContentLengthLong() > MAX_ASYNC_BODY_BYTES && isAsyncCall(request)) {
            return "The body is " + request.getContentLengthLong() + " bytes; the limit of an asynchronous call is "
                    + MAX_ASYNC_BODY_BYTES;
        }
        return null;
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        // The client may still be sending a body we will not read: close rather than drain it.
        response.setHeader("Connection", "close");
        if (isExecutionUrl(request.getRequestURI())) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "InvalidArgument");
            body.put("message", message);
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), body);
        } else {
            problems.write(request, response, ProblemType.REQUEST_TOO_LARGE, message);
        }
    }

    private static final Pattern ASYNC_INVOKE_PATH = Pattern.compile("/functions/[^/]+/async-invoke(/.*)?");

    /** /functions/{id}/async-invoke/..., or Function Compute's X-Fc-Invocation-Type: Async on an execution URL. */
    static boolean isAsyncCall(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/functions/") && (ASYNC_INVOKE_PATH.matcher(path).matches()
                || "Async".equalsIgnoreCase(request.getHeader("X-Fc-Invocation-Type")));
    }

    static boolean isExecutionUrl(String path) {
        return path.startsWith("/functions/") || path.startsWith("/p/");
    }

    /** Thrown while reading a body without Content-Length that grows past the limit. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("The body is larger than the limit of " + MAX_BODY_BYTES + " bytes");
        }
    }

    /** Counts what a chunked body delivers, because such a body announces no length. */
    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {
        private ServletInputStream limited;

        LimitedBodyRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                ServletInputStream in = super.getInputStream();
                limited = new ServletInputStream() {
                    private long count;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws IOException {
                        count += n;
                        if (count > MAX_BODY_BYTES) {
                            throw new BodyTooLargeException();
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return limited;
        }
    }
}
