package io.cococloud.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem response from a servlet filter, where Spring MVC's exception handling does not reach. */
@Component
public class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        write(request, response, type.status().value(), type, detail);
    }

    /** With a status of its own, for errors Spring or the container answered (a 400 typed as malformed). */
    void write(HttpServletRequest request, HttpServletResponse response, int status, ProblemType type,
            String detail) throws IOException {
        // On an error dispatch the URI is /error; the instance is the URL the client asked for.
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type.uri().toString());
        problem.put("title", type.title());
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", original instanceof String uri ? uri : request.getRequestURI());
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }
}
