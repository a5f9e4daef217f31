package io.cococloud.origin;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.cococloud.web.ProblemResponses;
import io.cococloud.web.ProblemType;

/**
 * Classifies the host of every request (see {@link TenantOrigins}) and keeps a project's host to that project's
 * surfaces: its execution URLs and static files (which check that the content is this project's) and the client
 * API (header-authenticated JSON); every other path is the project's site, forwarded to {@code /p/{project}}.
 * The console, the admin API and the actuator answer 404 there, before a session or a security chain is looked
 * at: a project's page must never share an origin with them.
 * Runs right after the request limits, before Spring Session and Spring Security.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TenantHostFilter extends OncePerRequestFilter {

    /** What a project host serves; {@code /p/} is for the project's site routes. */
    private static final List<String> PROJECT_SURFACES = List.of("/functions", "/static", "/p", "/collections",
            "/auth-collections");

    /** The server's own paths, never a site's: the console, the admin API, the actuator. */
    private static final List<String> SERVER_OWN = List.of("/console", "/admin", "/actuator", "/error");
    private static final String SITE_MOUNT = "/p/";

    private final TenantOrigins origins;
    private final ProblemResponses problems;

    TenantHostFilter(TenantOrigins origins, ProblemResponses problems) {
        this.origins = origins;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        TenantHost host = origins.hostOf(request);
        if (host.kind() == TenantHost.Kind.PROJECT) {
            if (host.projectId() == null) {
                // Execution URLs and static files answer their own 404 (the envelope, a problem) further on.
                if (!isTenantContent(request)) {
                    problems.write(request, response, ProblemType.NOT_FOUND, "No project has this address");
                    return;
                }
            } else if (!isProjectSurface(request)) {
                if (isServerOwn(request)) {
                    problems.write(request, response, ProblemType.NOT_FOUND,
                            "A project's address serves its site, functions, static files and the client API only");
                    return;
                }
                // The rest of the origin is the project's site, served by the site's handler at /p/{project}:
                // /api/hello here is /p/{project}/api/hello (which answers 404 when the project has no site).
                String query = request.getQueryString();
                request.getRequestDispatcher(SITE_MOUNT + host.projectId() + request.getRequestURI()
                        + (query == null ? "" : "?" + query)).forward(request, response);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean isProjectSurface(HttpServletRequest request) {
        return both(request, PROJECT_SURFACES);
    }

    /** Either the raw or the mapped path is the server's own (so {@code /x/../admin} is too). */
    private static boolean isServerOwn(HttpServletRequest request) {
        String mapped = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return under(request.getRequestURI(), SERVER_OWN) || under(mapped, SERVER_OWN);
    }

    private static boolean isTenantContent(HttpServletRequest request) {
        return both(request, List.of("/functions", "/static", "/p"));
    }

    /**
     * The raw URI and the path the servlet container maps (decoded, normalised, without {@code ;params}) must
     * both be under one of the prefixes, so {@code /functions/../admin} or {@code /static;x/..} cannot slip by.
     */
    private static boolean both(HttpServletRequest request, List<String> prefixes) {
        String mapped = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return under(request.getRequestURI(), prefixes) && under(mapped, prefixes);
    }

    private static boolean under(String path, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
