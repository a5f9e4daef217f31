package io.cococloud.function;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.origin.Placement;
import io.cococloud.origin.TenantHost;
import io.cococloud.origin.TenantOrigins;
import io.cococloud.project.ProjectDirectory;
import io.cococloud.runtime.Invocation;

/**
 * The public execution URLs (docs/functions.md#urls). Anyone may call them; the function decides.
 * Nothing here reads the database for a deployed, public function: the registry is in memory.
 * A function answers on its project's own host, sandboxed on a host shared with the console, and not at all
 * on the console's host (308 to its project's origin) or on another project's host (404): see {@link TenantOrigins}.
 */
@RestController
class ExecutionController {

    private final FunctionRegistry registry;
    private final FunctionExecutor executor;
    private final ExecutionResponses responses;
    private final ProjectDirectory projects;
    private final FunctionUsers users;
    private final JsonMapper json;
    private final TenantOrigins origins;

    private final FunctionCors cors;
    private final AsyncInvocations async;

    ExecutionController(FunctionRegistry registry, FunctionExecutor executor, ExecutionResponses responses,
            ProjectDirectory projects, FunctionUsers users, JsonMapper json, TenantOrigins origins,
            FunctionCors cors, AsyncInvocations async) {
        this.cors = cors;
        this.async = async;
        this.registry = registry;
        this.executor = executor;
        this.responses = responses;
        this.projects = projects;
        this.users = users;
        this.json = json;
        this.origins = origins;
    }

    @RequestMapping(path = "/functions/{functionId}/execute", method = {RequestMethod.GET, RequestMethod.POST,
            RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE, RequestMethod.OPTIONS})
    void execute(@PathVariable String functionId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        run(byId(functionId), "/", HttpInvocations.body(request), request, response);
    }

    @RequestMapping(path = "/functions/{functionId}/invoke/**", method = {RequestMethod.GET, RequestMethod.POST,
            RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE, RequestMethod.OPTIONS})
    void invoke(@PathVariable String functionId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String prefix = "/functions/" + functionId + "/invoke";
        String rest = request.getRequestURI().substring(Math.min(prefix.length(), request.getRequestURI().length()));
        run(byId(functionId), rest.isEmpty() ? "/" : rest, HttpInvocations.body(request), request, response);
    }

    /**
     * {@code /functions/{functionId}/execute}, the URL every call of a function by id takes, found by its shape ahead
     * of Spring MVC's own mapping, which tries the app's every URL pattern in turn: ~20 µs of a warm call that
     * costs ~250 µs in all (issue 15). Only the exact shape of {@link #execute}'s mapping with one of its methods;
     * anything else (HEAD, a trailing slash, a path parameter) goes to the usual mapping, which answers it as before.
     */
    @Component
    static final class ExecuteUrlMapping extends AbstractHandlerMapping {

        static final String PATTERN = "/functions/{functionId}/execute";
        private static final String PREFIX = "/functions/";
        private static final String SUFFIX = "/execute";
        private static final int ID_LENGTH = 36; // a UUID; any other id is no function's, as the usual mapping says
        private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

        private final ExecutionController controller;

        ExecuteUrlMapping(ExecutionController controller) {
            this.controller = controller;
            setOrder(Ordered.HIGHEST_PRECEDENCE);
        }

        @Override
        protected Object getHandlerInternal(HttpServletRequest request) {
            String uri = request.getRequestURI();
            if (uri.length() != PREFIX.length() + ID_LENGTH + SUFFIX.length() || !uri.startsWith(PREFIX)
                    || !uri.endsWith(SUFFIX) || !request.getContextPath().isEmpty()
                    || !METHODS.contains(request.getMethod())) {
                return null;
            }
            String functionId = uri.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
            if (functionId.indexOf('/') >= 0 || functionId.indexOf(';') >= 0 || functionId.indexOf('%') >= 0) {
                return null;
            }
            // what the usual mapping tells the server's request metrics (http.server.requests' uri tag)
            request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, PATTERN);
            request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("functionId", functionId));
            ServerHttpObservationFilter.findObservationContext(request)
                    .ifPresent(observation -> observation.setPathPattern(PATTERN));
            return (HttpRequestHandler) (req, res) -> controller.execute(functionId, req, res);
        }
    }

    /** Runs the function later (docs/functions.md): 202 with the execution id once the call is stored. */
    @RequestMapping(path = "/functions/{functionId}/async-invoke/**", method = {RequestMethod.GET,
            RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE, RequestMethod.OPTIONS})
    void asyncInvoke(@PathVariable String functionId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String prefix = "/functions/" + functionId + "/async-invoke";
        String rest = request.getRequestURI().substring(Math.min(prefix.length(), request.getRequestURI().length()));
        run(byId(functionId), rest.isEmpty() ? "/" : rest, HttpInvocations.body(request), request, response, true);
    }

    /** The URL the CocoBase SDKs call: a body {"payload": {...}} reaches the function as its payload. */
    @RequestMapping(path = "/functions/{projectRef}/func/{name}", method = {RequestMethod.GET, RequestMethod.POST,
            RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE, RequestMethod.OPTIONS})
    void byName(@PathVariable String projectRef, @PathVariable String name, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        Optional<DeployedFunction> function = projects.idOf(projectRef).flatMap(id -> registry.byName(id, name));
        run(function, "/", unwrapPayload(HttpInvocations.body(request)), request, response);
    }

    private void run(Optional<DeployedFunction> found, String path, byte[] body, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        // Function Compute's way of asking for an async call on the synchronous URL
        run(found, path, body, request, response, "Async".equalsIgnoreCase(request.getHeader(ASYNC_HEADER)));
    }

    static final String ASYNC_HEADER = "X-Fc-Invocation-Type";

    private void run(Optional<DeployedFunction> found, String path, byte[] body, HttpServletRequest request,
            HttpServletResponse response, boolean later) throws IOException {
        if (origins.hostOf(request).kind() == TenantHost.Kind.SHARED) {
            // Every answer of an execution URL on a shared host, the function's own headers added to it: a
            // second policy can only narrow the first, never lift the sandbox.
            response.addHeader("Content-Security-Policy", TenantOrigins.SANDBOX);
        }
        Placement placement = found.map(f -> origins.place(request, f.projectId())).orElse(null);
        if (found.isEmpty() || placement instanceof Placement.NotHere) {
            responses.write(response, responses.refusal(404, "Function not found"));
            return;
        }
        if (placement instanceof Placement.MoveTo move) {
            responses.write(response, responses.moved(move.url()));
            return;
        }
        DeployedFunction function = found.get();
        if (!function.enabled()) {
            cors.allowReading(request, response, function.projectId(), Map.of());
            responses.write(response, responses.refusal(403, "Function is disabled"));
            return;
        }
        Map<String, Object> user = users.userFor(function.projectId(), request.getHeader("Authorization"));
        if (function.requireAuth() && user == null) {
            cors.allowReading(request, response, function.projectId(), Map.of());
            responses.write(response, responses.refusal(401,
                    "Authentication required: send Authorization: Bearer <app user token>"));
            return;
        }
        Invocation invocation = HttpInvocations.from(request, function.functionCode(), path, body, user);
        if (later) {
            accept(function, invocation, request, response);
            return;
        }
        FunctionExecutor.Result result = executor.run(function, invocation, "http");
        response.setHeader("X-Execution-Id", result.executionId().toString());
        ExecutionResponses.Rendered rendered = responses.render(result.outcome());
        cors.allowReading(request, response, function.projectId(), rendered.headers());
        responses.write(response, rendered);
    }

    private void accept(DeployedFunction function, Invocation invocation, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        cors.allowReading(request, response, function.projectId(), Map.of());
        if (invocation.body().length > AsyncInvocations.MAX_BODY_BYTES) {
            // a body without Content-Length (chunked) gets here; one announced too large never does (RequestLimitsFilter)
            responses.write(response, responses.invalidArgument("The body is " + invocation.body().length
                    + " bytes; the limit of an asynchronous call is " + AsyncInvocations.MAX_BODY_BYTES));
            return;
        }
        UUID id = async.accept(function, invocation);
        response.setHeader("X-Execution-Id", id.toString());
        responses.write(response, responses.accepted(id));
    }

    private Optional<DeployedFunction> byId(String functionId) {
        try {
            return registry.byId(UUID.fromString(functionId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] unwrapPayload(byte[] body) {
        if (body.length == 0 || body[0] != '{') {
            return body;
        }
        try {
            JsonNode root = json.readTree(body);
            JsonNode payload = root.get("payload");
            if (root.isObject() && root.size() == 1 && payload != null) {
                return json.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
            }
        } catch (RuntimeException e) {
            // not JSON: the function sees the body as sent
        }
        return body;
    }

}
