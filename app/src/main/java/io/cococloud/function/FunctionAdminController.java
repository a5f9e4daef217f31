package io.cococloud.function;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonRawValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.origin.TenantOrigins;
import io.cococloud.project.ProjectAccess;
import io.cococloud.project.Role;
import io.cococloud.runtime.Invocation;
import io.cococloud.web.ApiProblem;

/** Functions of a project in the admin API: code, versions, rollback, test calls, executions. */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/functions")
class FunctionAdminController {

    private final FunctionService functions;
    private final FunctionRegistry registry;
    private final FunctionExecutor executor;
    private final ExecutionResponses responses;
    private final ExecutionLog executions;
    private final FunctionUsers users;
    private final ProjectAccess access;
    private final JsonMapper json;
    private final TenantOrigins origins;
    private final AsyncRetries asyncRetries;

    FunctionAdminController(FunctionService functions, FunctionRegistry registry, FunctionExecutor executor,
            ExecutionResponses responses, ExecutionLog executions, FunctionUsers users, ProjectAccess access,
            JsonMapper json, TenantOrigins origins, AsyncRetries asyncRetries) {
        this.asyncRetries = asyncRetries;
        this.functions = functions;
        this.registry = registry;
        this.executor = executor;
        this.responses = responses;
        this.executions = executions;
        this.users = users;
        this.access = access;
        this.json = json;
        this.origins = origins;
    }

    record CreateFunctionRequest(@NotNull @Size(max = 64) String name, @NotNull String code,
            @Min(1) @Max(900) Integer timeoutS, Boolean requireAuth, Boolean enabled,
            @Pattern(regexp = "main|handle|wsgi|event|http_handler") String style, @Size(max = 200) String handler,
            @Min(0) @Max(AsyncRetries.MAX) Integer asyncRetries) {}

    record UpdateFunctionRequest(@Size(max = 64) String name, String code, @Min(1) @Max(900) Integer timeoutS,
            Boolean requireAuth, Boolean enabled, @Pattern(regexp = "main|handle|wsgi|event|http_handler") String style,
            @Size(max = 200) String handler, @Min(0) @Max(AsyncRetries.MAX) Integer asyncRetries) {}

    record TestRequest(@Pattern(regexp = "GET|POST|PUT|PATCH|DELETE") String method, @Size(max = 2048) String path,
            Map<String, Object> query, Map<String, String> headers, JsonNode body) {}

    record Urls(String execute, String invoke, String func) {}

    record FunctionView(UUID id, UUID projectId, String name, String style, String handler, int timeoutS,
            boolean requireAuth, boolean enabled, Integer deployedVersion, String code, Urls urls, Instant createdAt,
            Instant updatedAt, int asyncRetries) {}

    record VersionView(int version, String style, String handler, UUID createdBy, Instant createdAt,
            boolean deployed, String code) {}

    record TestResult(UUID executionId, int status, Map<String, String> headers, String body, String output,
            String logs, String error, String traceback, double executionTime) {}

    /** attempts, next_attempt_at, attempt_history and result (the HTTP answer) tell an async call's story. */
    record ExecutionView(UUID id, UUID functionId, Integer version, String trigger, String status, Integer httpStatus,
            Double durationMs, String output, String logs, String error, String traceback, Instant createdAt,
            int attempts, Instant nextAttemptAt, @JsonRawValue String attemptHistory, @JsonRawValue String result,
            Instant startedAt, Instant finishedAt) {
        static ExecutionView of(ExecutionLog.Execution e) {
            return new ExecutionView(e.id(), e.functionId(), e.version(), e.trigger(), e.status(), e.httpStatus(),
                    e.durationMs(), e.output(), e.logs(), e.error(), e.traceback(), e.createdAt(), e.attempts(),
                    e.nextAttemptAt(), e.attemptHistoryJson(), e.resultJson(), e.startedAt(), e.finishedAt());
        }
    }

    @GetMapping
    List<FunctionView> list(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId) {
        UUID project = access.require(projectId, me, Role.VIEWER).projectId();
        Map<UUID, Integer> retries = asyncRetries.ofProject(project);
        return functions.list(project).stream()
                .map(f -> view(f, null, retries.getOrDefault(f.id(), AsyncRetries.DEFAULT))).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    FunctionView create(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @Valid @RequestBody CreateFunctionRequest body) {
        UUID project = access.require(projectId, me, Role.DEVELOPER).projectId();
        var created = functions.create(project, me.accountId(), body.code(), new FunctionService.Settings(body.name(),
                body.timeoutS(), body.requireAuth(), body.enabled(), body.style(), body.handler()));
        if (body.asyncRetries() != null) {
            asyncRetries.set(project, created.id(), body.asyncRetries());
        }
        return view(created, body.code());
    }

    @GetMapping("/{functionRef}")
    FunctionView get(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String functionRef) {
        UUID project = access.require(projectId, me, Role.VIEWER).projectId();
        var function = find(project, functionRef);
        return view(function, functions.deployedVersion(function).code());
    }

    @PatchMapping("/{functionRef}")
    FunctionView update(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String functionRef, @Valid @RequestBody UpdateFunctionRequest body) {
        UUID project = access.require(projectId, me, Role.DEVELOPER).projectId();
        var updated = functions.update(project, find(project, functionRef).id(), me.accountId(), body.code(),
                new FunctionService.Settings(body.name(), body.timeoutS(), body.requireAuth(), body.enabled(),
                        body.style(), body.handler()));
        if (body.asyncRetries() != null) {
            asyncRetries.set(project, updated.id(), body.asyncRetries());
        }
        return view(updated, functions.deployedVersion(updated).code());
    }

    @DeleteMapping("/{functionRef}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String functionRef) {
        UUID project = access.require(projectId, me, Role.DEVELOPER).projectId();
        functions.delete(project, find(project, functionRef).id());
    }

    @GetMapping("/{functionRef}/versions")
    List<VersionView> versions(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String functionRef) {
        UUID project = access.require(projectId, me, Role.VIEWER).projectId();
        var function = find(project, functionRef);
        return functions.versions(project, function.id()).stream()
                .map(v -> new VersionView(v.version(), v.style(), v.handler(), v.createdBy(), v.createdAt(),
                        Integer.valueOf(v.version()).equals(function.deployedVersion()), v.code()))
                .toList();
    }

    @PostMapping("/{functionRef}/versions/{version}/deploy")
    FunctionView deploy(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String functionRef, @PathVariable int version) {
        UUID project = access.require(projectId, me, Role.DEVELOPER).projectId();
        var deployed = functions.deploy(project, find(project, functionRef).id(), version);
        return view(deployed, functions.deployedVersion(deployed).code());
    }

    /** Runs a request through the deployed version, as its URL would, and shows the response and logs. */
    @PostMapping("/{functionRef}/test")
    TestResult test(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String functionRef, @Valid @RequestBody TestRequest body) {
        UUID project = access.require(projectId, me, Role.DEVELOPER).projectId();
        var row = find(project, functionRef);
        DeployedFunction function = registry.byId(row.id())
                .orElseThrow(() -> ApiProblem.notFound("A deployed version of " + row.name()));
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (body.headers() != null) {
            body.headers().forEach((k, v) -> headers.add(Map.entry(k, v)));
        }
        byte[] payload = new byte[0];
        if (body.body() != null && !body.body().isNull()) {
            payload = (body.body().isString() ? body.body().asString() : json.writeValueAsString(body.body()))
                    .getBytes(StandardCharsets.UTF_8);
            if (!body.body().isString() && headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("content-type"))) {
                headers.add(Map.entry("Content-Type", "application/json"));
            }
        }
        List<Map.Entry<String, String>> query = new ArrayList<>();
        if (body.query() != null) {
            body.query().forEach((k, v) -> {
                if (v instanceof List<?> values) {
                    values.forEach(value -> query.add(Map.entry(k, String.valueOf(value))));
                } else {
                    query.add(Map.entry(k, String.valueOf(v)));
                }
            });
        }
        String authorization = headers.stream().filter(h -> h.getKey().equalsIgnoreCase("authorization"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        Invocation invocation = Invocation.of(function.functionCode(), body.method() == null ? "GET" : body.method(),
                body.path() == null ? "/" : body.path(), headers, query, payload, users.userFor(project, authorization));
        FunctionExecutor.Result result = executor.run(function, invocation, "test");
        ExecutionResponses.Rendered rendered = responses.render(result.outcome());
        var outcome = result.outcome();
        return new TestResult(result.executionId(), rendered.status(), rendered.headers(),
                new String(rendered.body(), StandardCharsets.UTF_8), outcome.output(), outcome.logs(), outcome.error(),
                outcome.traceback(), outcome.nanos() / 1e9);
    }

    @GetMapping("/{functionRef}/executions")
    List<ExecutionView> executions(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String functionRef, @RequestParam(required = false) String status,
            @RequestParam(required = false) Instant since, @RequestParam(defaultValue = "50") int limit) {
        UUID project = access.require(projectId, me, Role.VIEWER).projectId();
        if (status != null && !List.of("success", "error", "timeout", "queued", "running").contains(status)) {
            throw ApiProblem.badRequest("status must be one of success, error, timeout, queued, running");
        }
        if (limit < 1 || limit > 500) {
            throw ApiProblem.badRequest("limit must be between 1 and 500");
        }
        return executions.list(project, find(project, functionRef).id(), status, since, limit).stream()
                .map(ExecutionView::of).toList();
    }

    @GetMapping("/{functionRef}/executions/{executionId}")
    ExecutionView execution(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String functionRef, @PathVariable UUID executionId) {
        UUID project = access.require(projectId, me, Role.VIEWER).projectId();
        return executions.find(project, find(project, functionRef).id(), executionId).map(ExecutionView::of)
                .orElseThrow(() -> ApiProblem.notFound("Execution " + executionId));
    }

    /** A function by id or by name, within the project. */
    private FunctionRepository.FunctionRow find(UUID projectId, String ref) {
        try {
            return functions.get(projectId, UUID.fromString(ref));
        } catch (IllegalArgumentException notAnId) {
            return functions.list(projectId).stream().filter(f -> f.name().equals(ref)).findFirst()
                    .orElseThrow(() -> ApiProblem.notFound("Function '" + ref + "'"));
        }
    }

    private FunctionView view(FunctionRepository.FunctionRow f, String code) {
        return view(f, code, asyncRetries.of(f.projectId(), f.id()));
    }

    private FunctionView view(FunctionRepository.FunctionRow f, String code, int retries) {
        // the project's own origin when projects have one: the console's host does not run functions
        String base = origins.baseUrlOf(f.projectId()) + "/functions/";
        return new FunctionView(f.id(), f.projectId(), f.name(), f.style(), f.handler(), f.timeoutSeconds(),
                f.requireAuth(), f.enabled(), f.deployedVersion(), code,
                new Urls(base + f.id() + "/execute", base + f.id() + "/invoke/", base + f.projectId() + "/func/"
                        + f.name()), f.createdAt(), f.updatedAt(), retries);
    }
}
