package io.cococloud.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Errors that reach no controller: a servlet container or filter called {@code sendError}
 * (Spring Security's firewall refusing {@code %2F} in a path, say), or Tomcat refused the request
 * before the application saw it. Both answer as the rest of the API does: a problem document,
 * or on execution URLs their {@code {"error", "message"}} JSON. Replaces Spring Boot's
 * {@code BasicErrorController} (its own JSON shape) and Tomcat's HTML error page.
 */
@RestController
class ErrorDocuments implements ErrorController {

    private final ProblemResponses problems;
    private final JsonMapper json;

    ErrorDocuments(ProblemResponses problems, JsonMapper json) {
        this.problems = problems;
        this.json = json;
    }

    @Bean
    static WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve() {
        return factory -> factory.addContextCustomizers(context -> ((StandardHost) context.getParent())
                .setErrorReportValveClass(ProblemReportValve.class.getName()));
    }

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 500;
        String uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String original ? original
                : request.getRequestURI();
        String detail = detail(status, request.getAttribute(RequestDispatcher.ERROR_MESSAGE));
        if (RequestLimitsFilter.isExecutionUrl(uri)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", status >= 500 ? "InternalError" : status == 404 ? "NotFound" : "InvalidArgument");
            body.put("message", detail);
            response.setStatus(status);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), body);
        } else {
            problems.write(request, response, status, ProblemType.forStatus(status), detail);
        }
    }

    /** The container's message for a 4xx when it has one (e.g. the firewall's reason), never for a 5xx. */
    private static String detail(int status, Object message) {
        if (status >= 500) {
            return "The server failed to answer this request; it has been logged.";
        }
        if (message instanceof String text && !text.isBlank() && text.length() <= 300) {
            return text;
        }
        return status == 404 ? "Nothing is here" : "The request could not be understood";
    }
}
