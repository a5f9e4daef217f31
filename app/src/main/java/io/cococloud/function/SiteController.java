package io.cococloud.function;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.util.UriUtils;

import io.cococloud.origin.Placement;
import io.cococloud.origin.TenantHost;
import io.cococloud.origin.TenantOrigins;
import io.cococloud.project.ProjectDirectory;
import io.cococloud.runtime.Invocation;
import io.cococloud.web.ProblemResponses;
import io.cococloud.web.ProblemType;

/**
 * Serves a project's site (docs/functions.md) at {@code /p/{project}/...} (its id or slug) and, when projects
 * have origins of their own, at the root of the project's origin ({@code TenantHostFilter} forwards such
 * requests here). The route table and code are in memory ({@link SiteService}); a route runs like a function
 * (same fairness, CORS, cookie and origin rules, recorded with the trigger "route"), and a path no route answers
 * is looked up among the site's static files. Origin placement is {@link TenantOrigins}'s, as for function URLs.
 */
@RestController
class SiteController {

    static final String MOUNT = "/p/";

    private final SiteService sites;
    private final FunctionExecutor executor;
    private final ExecutionResponses responses;
    private final ProjectDirectory projects;
    private final FunctionUsers users;
    private final TenantOrigins origins;
    private final FunctionCors cors;
    private final ProblemResponses problems;

    SiteController(SiteService sites, FunctionExecutor executor, ExecutionResponses responses,
            ProjectDirectory projects, FunctionUsers users, TenantOrigins origins, FunctionCors cors,
            ProblemResponses problems) {
        this.sites = sites;
        this.executor = executor;
        this.responses = responses;
        this.projects = projects;
        this.users = users;
        this.origins = origins;
        this.cors = cors;
        this.problems = problems;
    }

    @RequestMapping(path = {"/p/{projectRef}", "/p/{projectRef}/**"}, method = {RequestMethod.GET,
            RequestMethod.HEAD, RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE,
            RequestMethod.OPTIONS})
    void serve(@PathVariable String projectRef, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // At the root of the project's origin the site is mounted at "", as the browser sees it.
        boolean atRoot = request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) != null;
        if (origins.hostOf(request).kind() == TenantHost.Kind.SHARED) {
            response.addHeader("Content-Security-Policy", TenantOrigins.SANDBOX);
        }
        String uri = request.getRequestURI();
        int restAt = uri.indexOf('/', MOUNT.length());
        String mountPath = atRoot ? "" : restAt < 0 ? uri : uri.substring(0, restAt);
        String path = restAt < 0 ? "/" : uri.substring(restAt);
        Optional<UUID> projectId = projects.idOf(projectRef);
        Optional<Site> found = projectId.flatMap(sites::live);
        if (found.isEmpty()) {
            if (atRoot) {
                problems.write(request, response, ProblemType.NOT_FOUND,
                        "A project's address serves its site, functions, static files and the client API only,"
                                + " and this project has no site");
            } else {
                responses.write(response, responses.refusal(404, "Site not found"));
            }
            return;
        }
        Site site = found.get();
        Placement placement = origins.place(request, site.projectId());
        if (placement instanceof Placement.NotHere) {
            responses.write(response, responses.refusal(404, "Site not found"));
            return;
        }
        if (placement instanceof Placement.MoveTo) {
            // the site's place on the project's origin is its root: /p/{project}/api/hello there is /api/hello
            String query = request.getQueryString();
            responses.write(response, responses.moved(origins.baseUrlOf(site.projectId()) + path
                    + (query == null ? "" : "?" + query)));
            return;
        }
        List<String> segments = segments(path);
        if (segments == null) {
            responses.write(response, responses.invalidArgument("The path is not valid percent-encoding"));
            return;
        }
        SiteRoutes.Match match = site.routes().match(segments);
        if (match != null) {
            run(site, match, mountPath, path, request, response);
            return;
        }
        Site.StaticFile file = site.staticFile(String.join("/", segments));
        if (file == null) {
            responses.write(response, responses.refusal(404, "Not found: no route or file of the site answers "
                    + printable(path)));
            return;
        }
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.setHeader(HttpHeaders.ALLOW, "GET, HEAD");
            responses.write(response, responses.refusal(405, "Method " + request.getMethod()
                    + " not allowed: " + printable(path) + " is a static file of the site (GET, HEAD)"));
            return;
        }
        serveStatic(site, file, request, response);
    }

    private void run(Site site, SiteRoutes.Match match, String mountPath, String path, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        SiteRoute route = match.route();
        Map<String, Object> user = users.userFor(site.projectId(), request.getHeader("Authorization"));
        Invocation plain = HttpInvocations.from(request, site.code().get(route.file()), path,
                HttpInvocations.body(request), user);
        Invocation invocation = new Invocation(plain.function(), null, plain.method(), mountPath,
                rawPrefix(path, route.prefix()), path, plain.queryString(), plain.headers(), plain.query(),
                plain.body(), match.params(), user, plain.peer(), null);
        FunctionExecutor.Result result = executor.run(site.projectId(), invocation.function().functionId(),
                site.version(), invocation, "route");
        response.setHeader("X-Execution-Id", result.executionId().toString());
        ExecutionResponses.Rendered rendered = responses.render(result.outcome());
        cors.allowReading(request, response, site.projectId(), rendered.headers());
        responses.write(response, rendered);
    }

    /**
     * A static file of the site, with ETag and Last-Modified (a conditional request gets 304 without the file
     * being read). {@code no-cache}: a cache revalidates, so a new deploy shows at once.
     */
    private void serveStatic(Site site, Site.StaticFile file, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        String etag = "\"" + file.sha256Hex() + "\"";
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        cors.allowReading(request, response, site.projectId(), Map.of());
        if (new ServletWebRequest(request, response).checkNotModified(etag, site.deployedAt().toEpochMilli())) {
            return;
        }
        response.setStatus(200);
        response.setContentType(file.contentType());
        response.setContentLengthLong(file.size());
        if (request.getMethod().equals("HEAD")) {
            return;
        }
        byte[] content = sites.staticContent(site, file).orElse(null);
        if (content == null) {
            // the site was taken down or replaced while this was answered
            response.reset();
            responses.write(response, responses.refusal(404, "Not found: the site changed while this was served"));
            return;
        }
        try (OutputStream out = response.getOutputStream()) {
            out.write(content);
        }
    }

    /** The path's segments, percent-decoded (empty ones dropped: "/api/users/" is "/api/users"); null if malformed. */
    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            try {
                segments.add(UriUtils.decode(raw, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return segments;
    }

    /**
     * The part of the request's path (as sent, percent-encoded) that the route's prefix covers: the prefix is made
     * of decoded file names ("/my api"), the path is raw ("/my%20api/users"), and a framework app must see the
     * rest of the path exactly as it was sent.
     */
    static String rawPrefix(String path, String prefix) {
        long segments = java.util.Arrays.stream(prefix.split("/")).filter(segment -> !segment.isEmpty()).count();
        int end = 0;
        for (long seen = 0; seen < segments; seen++) {
            while (end < path.length() && path.charAt(end) == '/') {
                end++;
            }
            int next = path.indexOf('/', end);
            end = next < 0 ? path.length() : next;
        }
        return path.substring(0, end);
    }

    private static String printable(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }
}
