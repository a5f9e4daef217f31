package io.cococloud.project;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import io.cococloud.web.ProblemResponses;
import io.cococloud.web.ProblemType;

/**
 * CORS for the client API ({@code /collections/**}, {@code /auth-collections/**}), so that web apps on their own
 * origin can use the CocoBase SDKs. A preflight carries no {@code x-api-key}, so it cannot name a project: it is
 * answered for any origin with the headers the SDKs send. The request itself names its project by its key, and
 * is refused (403, without CORS headers) when that project does not allow the page's origin. No credentials are
 * ever allowed: the client API authenticates by header, and cookies have no meaning here.
 */
class ClientApiCors extends OncePerRequestFilter {

    static final String METHODS = "GET, POST, PUT, PATCH, DELETE";
    static final String HEADERS = "x-api-key, authorization, content-type";
    static final String MAX_AGE = "600";

    private final ProjectCors cors;
    private final ApiKeyService keys;
    private final ProblemResponses problems;

    ClientApiCors(ProjectCors cors, ApiKeyService keys, ProblemResponses problems) {
        this.cors = cors;
        this.keys = keys;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            chain.doFilter(request, response);
            return;
        }
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        if ("OPTIONS".equals(request.getMethod())
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, HEADERS);
            response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
            return;
        }
        // The key is checked before its project's settings are read: a made-up key naming any id must not make the
        // settings cache hold an entry per id.
        Optional<UUID> project = keys.resolve(request.getHeader("x-api-key"))
                .map(ApiKeyService.ResolvedKey::projectId);
        if (project.isPresent() && !cors.allows(project.get(), origin)) {
            problems.write(request, response, ProblemType.FORBIDDEN, "Pages on " + origin + " may not call this"
                    + " project: add the origin to the project's CORS settings (PUT /admin/api/v1/projects/{p}/cors)");
            return;
        }
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response.setHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After, Location");
        chain.doFilter(request, response);
    }
}
