package io.cococloud.web;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's last word on an error no servlet answered: a request it refused before it reached the
 * application (a {@code %2F} or {@code %00} in the path, a malformed request line). Tomcat's own
 * valve writes an HTML page; this one writes what the application's errors look like: a problem
 * document, or on execution URLs their {@code {"error", "message"}} JSON. It runs without Spring
 * (Tomcat makes it by class name), so it builds its small JSON by hand.
 */
public class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
        String detail = status >= 500 ? "The server failed to answer this request; it has been logged."
                : "The request could not be understood: its URL or headers are malformed"
                        + " (an encoded '/' or NUL in the path, or an invalid escape).";
        String body;
        String contentType;
        if (RequestLimitsFilter.isExecutionUrl(uri)) {
            contentType = "application/json";
            body = "{\"error\":" + quote(status >= 500 ? "InternalError" : "InvalidArgument") + ",\"message\":"
                    + quote(detail) + "}";
        } else {
            ProblemType type = ProblemType.forStatus(status);
            contentType = "application/problem+json";
            body = "{\"type\":" + quote(type.uri().toString()) + ",\"title\":" + quote(type.title())
                    + ",\"status\":" + status + ",\"detail\":" + quote(detail) + ",\"instance\":" + quote(uri) + "}";
        }
        try {
            response.setContentType(contentType);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away or the response was committed meanwhile: nothing left to tell it
        }
    }

    /** A JSON string; the raw URI may hold anything, so escape all but printable ASCII. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
