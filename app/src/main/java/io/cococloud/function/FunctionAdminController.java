package io.cococloud.function;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonRawValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.error.DomainException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.origin.TenantOrigins;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;
import io.cococloud.runtime.Invocation;
import io.cococloud.web.ApiProblem;
import io.cococloud.web.ProblemType;

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
    private final JsonMapper json;
    private final TenantOrigins origins;
    private final AsyncRetries asyncRetries;
    /** Its distributions count as vendored for requirements.txt. */
    private final ProjectPackages packages;
    private final FunctionStats stats;

    FunctionAdminController(FunctionService functions, FunctionRegistry registry, FunctionExecutor executor,
            ExecutionResponses responses, ExecutionLog executions, FunctionUsers users,
            JsonMapper json, TenantOrigins origins, AsyncRetries asyncRetries, ProjectPackages packages,
            FunctionStats stats) {
        this.stats = stats;
        this.asyncRetries = asyncRetries;
        this.packages = packages;
        this.functions = functions;
        this.registry = registry;
        this.executor = executor;
        this.responses = responses;
        this.executions = executions;
        this.users = users;
        this.json = json;
        this.origins = origins;
    }

    /** {@code code} is one file; {@code files} several, by path. */
    record CreateFunctionRequest(@NotNull @Size(max = 64) String name, String code, Map<String, String> files,
            @Min(1) @Max(900) Integer timeoutS, Boolean requireAuth, Boolean enabled,
            @Pattern(regexp = STYLES) String style, @Size(max = 200) String handler,
            @Min(0) @Max(AsyncRetries.MAX) Integer asyncRetries) {}

    record UpdateFunctionRequest(@Size(max = 64) String name, String code, Map<String, String> files,
            @Min(1) @Max(900) Integer timeoutS, Boolean requireAuth, Boolean enabled,
            @Pattern(regexp = STYLES) String style, @Size(max = 200) String handler,
            @Min(0) @Max(AsyncRetries.MAX) Integer asyncRetries) {}

    /** A request as the function's URL would get it, or a raw {@code event} for an event function. */
    record TestRequest(@Pattern(regexp = "GET|POST|PUT|PATCH|DELETE") String method, @Size(max = 2048) String path,
            Map<String, Object> query, Map<String, String> headers, JsonNode body, JsonNode event) {}

    private static final String STYLES = "main|handle|wsgi|asgi|event|http_handler";
    private static final List<String> ZIP_TYPES = List.of("application/zip", "application/x-zip-compressed",
            "application/octet-stream");
    private static final Set<String> ZIP_FORM_FIELDS = Set.of("zip", "name", "handler", "style", "timeout_s",
            "require_auth", "enabled");

    record Urls(String execute, String invoke, String func) {}

    /**
     * @param style            the explicit style setting, or null (detected)
     * @param deployedStyle    the style the deployed version runs in (lists too); entryFile, entryName and files
     *                         are the deployed version's (null in lists)
     * @param resolvedPackages the distributions the deployed version's requirements.txt got from the package
     *                         index, and resolveNotes the requirements it skipped (null in lists)
     * @param warnings         what the deployed version's own code uses that the sandbox denies, file and line
     *                         (null in lists)
     * @param stats            calls and errors in the last 24 hours, the latest execution's status and time
     */
    record FunctionView(UUID id, UUID projectId, String name, String style, String handler, int timeoutS,
            boolean requireAuth, boolean enabled, Integer deployedVersion, String deployedStyle, String entryFile,
            String entryName, List<String> files, String code, Urls urls, Instant createdAt, Instant updatedAt,
            int asyncRetries, List<ResolvedPackages.Distribution> resolvedPackages, List<String> resolveNotes,
            List<String> warnings, FunctionStats.Stats stats) {}

    /** @param files the version's file paths; code the entry file's source */
    record VersionView(int version, String style, String handler, String entryFile, String entryName,
            List<String> files, UUID createdBy, Instant createdAt, boolean deployed, String code) {}

    /**
     * One version with every file's source: what a diff of two versions needs. {@code files}: the text files
     * (Python sources, vendored ones included); {@code dataFiles}: every other file (binary or non-UTF-8 files,
     * vendored packages' data and metadata) with its size, and its text when it is UTF-8 text.
     */
    record VersionFilesView(int version, String style, String entryFile, String entryName, boolean deployed,
            Map<String, String> files, List<DataFileView> dataFiles,
            List<ResolvedPackages.Distribution> resolvedPackages, List<String> resolveNotes) {}

    /** @param text the file's content when it is UTF-8 text without NUL, else null (binary) */
    record DataFileView(String path, int size, String text) {}

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
    List<FunctionView> list(@ProjectRole(Role.VIEWER) Membership membership) {
        UUID project = membership.projectId();
        Map<UUID, Integer> retries = asyncRetries.ofProject(project);
        Map<UUID, FunctionStats.Stats> projectStats = stats.ofProject(project);
        Map<UUID, String> styles = functions.deployedStyles(project);
        return functions.list(project).stream()
                .map(f -> view(f, null, styles.get(f.id()), retries.getOrDefault(f.id(), AsyncRetries.DEFAULT),
                        projectStats.getOrDefault(f.id(), FunctionStats.Stats.NONE)))
                .toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    FunctionView create(@ProjectRole(Role.DEVELOPER) Membership membership, @AuthenticationPrincipal AdminPrincipal me,
            @Valid @RequestBody CreateFunctionRequest body) {
        UUID project = membership.projectId();
        var created = functions.create(project, me.accountId(), source(project, body.code(), body.files()),
                new FunctionService.Settings(body.name(), body.timeoutS(), body.requireAuth(), body.enabled(),
                        body.style(), body.handler()));
        if (body.asyncRetries() != null) {
            asyncRetries.set(project, created.id(), body.asyncRetries());
        }
        return view(created, functions.deployedVersion(created));
    }

    /**
     * A function from a zip of its files (multipart field {@code zip}) with its settings as form fields; the
     * same settings and rules as the JSON form.
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    FunctionView createFromZip(@ProjectRole(Role.DEVELOPER) Membership membership,
            @AuthenticationPrincipal AdminPrincipal me,
            MultipartHttpServletRequest request, @RequestParam(required = false) MultipartFile zip,
            @RequestParam(required = false) String name, @RequestParam(required = false) String handler,
            @RequestParam(required = false) String style,
            @RequestParam(name = "timeout_s", required = false) Integer timeoutS,
            @RequestParam(name = "require_auth", required = false) Boolean requireAuth,
            @RequestParam(required = false) Boolean enabled) throws IOException {
        UUID project = membership.projectId();
        List<String> fields = new ArrayList<>(Collections.list(request.getParameterNames()));
        request.getFileNames().forEachRemaining(fields::add);
        for (String field : fields) {
            if (!ZIP_FORM_FIELDS.contains(field)) {
                throw new InvalidInputException("Unknown field '" + field + "'; send zip, name, and optionally handler,"
                        + " style, timeout_s, require_auth, enabled");
            }
        }
        if (zip == null) {
            throw new InvalidInputException("Send the function's files as a zip in the multipart field 'zip'")
                    .with("field", "zip");
        }
        if (name == null) {
            throw new InvalidInputException("name is required").with("field", "name");
        }
        checkStyleAndHandler(style, handler);
        FunctionFiles files = FunctionZip.read(limited(zip.getInputStream(), zip.getSize()), handlerFile(handler),
                packages.layer(project).asVendored());
        var created = functions.create(project, me.accountId(), FunctionService.Source.files(files),
                new FunctionService.Settings(name, timeoutS, requireAuth, enabled, style, handler));
        return view(created, functions.deployedVersion(created));
    }

    @GetMapping("/{functionRef}")
    FunctionView get(@ProjectRole(Role.VIEWER) Membership membership, @PathVariable String functionRef) {
        UUID project = membership.projectId();
        var function = find(project, functionRef);
        return view(function, functions.deployedVersion(function));
    }

    @PatchMapping("/{functionRef}")
    FunctionView update(@ProjectRole(Role.DEVELOPER) Membership membership, @AuthenticationPrincipal AdminPrincipal me,
            @PathVariable String functionRef, @Valid @RequestBody UpdateFunctionRequest body) {
        UUID project = membership.projectId();
        var updated = functions.update(project, find(project, functionRef).id(), me.accountId(),
                source(project, body.code(), body.files()), new FunctionService.Settings(body.name(), body.timeoutS(),
                        body.requireAuth(), body.enabled(), body.style(), body.handler()));
        if (body.asyncRetries() != null) {
            asyncRetries.set(project, updated.id(), body.asyncRetries());
        }
        return view(updated, functions.deployedVersion(updated));
    }

    /**
     * New files for a function from a zip sent as the body: a new version, deployed. {@code handler} and
     * {@code style} may change with it, as they name the entry point among the new files.
     */
    @PutMapping(path = "/{functionRef}/code")
    FunctionView uploadZip(@ProjectRole(Role.DEVELOPER) Membership membership,
            @AuthenticationPrincipal AdminPrincipal me,
            @PathVariable String functionRef, @RequestParam(required = false) String handler,
            @RequestParam(required = false) String style, HttpServletRequest request) throws IOException {
        UUID project = membership.projectId();
        var function = find(project, functionRef);
        String type = request.getContentType() == null ? "" : request.getContentType().split(";")[0].trim()
                .toLowerCase(java.util.Locale.ROOT);
        if (!ZIP_TYPES.contains(type)) {
            throw ApiProblem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the zip as the body, with Content-Type"
                    + " application/zip; JSON files go to PATCH /functions/{f}");
        }
        checkStyleAndHandler(style, handler);
        String effectiveHandler = handler != null ? handler : function.handler();
        FunctionFiles files = FunctionZip.read(limited(request.getInputStream(), request.getContentLengthLong()),
                handlerFile(effectiveHandler), packages.layer(project).asVendored());
        var updated = functions.update(project, function.id(), me.accountId(), FunctionService.Source.files(files),
                new FunctionService.Settings(null, null, null, null, style, handler));
        return view(updated, functions.deployedVersion(updated));
    }

    @DeleteMapping("/{functionRef}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.DEVELOPER) Membership membership, @PathVariable String functionRef) {
        UUID project = membership.projectId();
        functions.delete(project, find(project, functionRef).id());
    }

    @GetMapping("/{functionRef}/versions")
    List<VersionView> versions(@ProjectRole(Role.VIEWER) Membership membership, @PathVariable String functionRef) {
        UUID project = membership.projectId();
        var function = find(project, functionRef);
        return functions.versions(project, function.id()).stream()
                .map(v -> new VersionView(v.version(), v.style(), v.handler(), v.entryFile(), v.entryName(),
                        v.paths(), v.createdBy(), v.createdAt(),
                        Integer.valueOf(v.version()).equals(function.deployedVersion()), v.code()))
                .toList();
    }

    @GetMapping("/{functionRef}/versions/{version}")
    VersionFilesView version(@ProjectRole(Role.VIEWER) Membership membership,
            @PathVariable String functionRef, @PathVariable int version) {
        UUID project = membership.projectId();
        var function = find(project, functionRef);
        var source = functions.versionFiles(project, function.id(), version);
        Map<String, byte[]> versionData = functions.versionData(project, function.id(), version);
        List<DataFileView> data = versionData.entrySet().stream()
                .map(f -> new DataFileView(f.getKey(), f.getValue().length, textOrNull(f.getValue()))).toList();
        ResolvedPackages resolved = functions.resolvedPackages(versionData);
        return new VersionFilesView(source.version(), source.style(), source.entryFile(), source.entryName(),
                Integer.valueOf(version).equals(function.deployedVersion()), source.files(), data,
                resolved.resolved(), resolved.notes());
    }

    private static String textOrNull(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    @PostMapping("/{functionRef}/versions/{version}/deploy")
    FunctionView deploy(@ProjectRole(Role.DEVELOPER) Membership membership,
            @PathVariable String functionRef, @PathVariable int version) {
        UUID project = membership.projectId();
        var deployed = functions.deploy(project, find(project, functionRef).id(), version);
        return view(deployed, functions.deployedVersion(deployed));
    }

    /** Runs a request through the deployed version, as its URL would, and shows the response and logs. */
    @PostMapping("/{functionRef}/test")
    TestResult test(@ProjectRole(Role.DEVELOPER) Membership membership,
            @PathVariable String functionRef, @Valid @RequestBody TestRequest body) {
        UUID project = membership.projectId();
        var row = find(project, functionRef);
        DeployedFunction function = registry.byId(row.id())
                .orElseThrow(() -> NotFoundException.of("A deployed version of " + row.name()));
        if (body.event() != null) {
            return result(executor.run(function, rawEvent(function, body), "test"));
        }
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
        // the raw query string too: WSGI, ASGI and class handlers read QUERY_STRING / query_string, not the pairs
        String queryString = query.stream().map(q -> URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        Invocation invocation = new Invocation(function.functionCode(), null,
                body.method() == null ? "GET" : body.method(), "", "", body.path() == null ? "/" : body.path(),
                queryString, headers, query, payload, Map.of(), users.userFor(project, authorization),
                Invocation.Peer.LOCAL, null);
        return result(executor.run(function, invocation, "test"));
    }

    /**
     * A raw event, as Function Compute's console sends a test event: a JSON string is the event's bytes as text,
     * any other JSON value its JSON bytes. Only event functions take one; the handler's answer is the response.
     */
    private Invocation rawEvent(DeployedFunction function, TestRequest body) {
        if (body.method() != null || body.path() != null || body.query() != null || body.headers() != null
                || body.body() != null) {
            throw new InvalidInputException("event is the whole input of an event function: send it without method,"
                    + " path, query, headers and body");
        }
        if (!"event".equals(function.style())) {
            throw new InvalidInputException("event is for event functions (def handler(event, context)); "
                    + function.name() + " is a '" + function.style() + "' function: test it with method, path,"
                    + " query, headers and body");
        }
        JsonNode event = body.event();
        byte[] bytes = (event.isString() ? event.asString() : json.writeValueAsString(event))
                .getBytes(StandardCharsets.UTF_8);
        return new Invocation(function.functionCode(), null, "POST", "", "", "/", "", List.of(), List.of(),
                new byte[0], Map.of(), null, Invocation.Peer.LOCAL, bytes);
    }

    private TestResult result(FunctionExecutor.Result result) {
        ExecutionResponses.Rendered rendered = responses.render(result.outcome());
        var outcome = result.outcome();
        return new TestResult(result.executionId(), rendered.status(), rendered.headers(),
                new String(rendered.body(), StandardCharsets.UTF_8), outcome.output(), outcome.logs(), outcome.error(),
                outcome.traceback(), outcome.nanos() / 1e9);
    }

    @GetMapping("/{functionRef}/executions")
    List<ExecutionView> executions(@ProjectRole(Role.VIEWER) Membership membership,
            @PathVariable String functionRef, @RequestParam(required = false) String status,
            @RequestParam(required = false) Instant since, @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "50") int limit) {
        UUID project = membership.projectId();
        ExecutionParameters.check(status, limit);
        return executions.list(project, new ExecutionLog.Filter(find(project, functionRef).id(), status, null, since,
                before, limit)).stream().map(ExecutionView::of).toList();
    }

    @GetMapping("/{functionRef}/executions/{executionId}")
    ExecutionView execution(@ProjectRole(Role.VIEWER) Membership membership,
            @PathVariable String functionRef, @PathVariable UUID executionId) {
        UUID project = membership.projectId();
        return executions.find(project, find(project, functionRef).id(), executionId).map(ExecutionView::of)
                .orElseThrow(() -> NotFoundException.of("Execution " + executionId));
    }

    private FunctionService.Source source(UUID project, String code, Map<String, String> files) {
        if (code != null && files != null) {
            throw new InvalidInputException("Give code (one file) or files, not both").with("field", "files");
        }
        if (files == null) {
            return code != null ? FunctionService.Source.code(code) : FunctionService.Source.NONE;
        }
        try {
            return FunctionService.Source.files(FunctionFiles.of(files, Map.of(), packages.layer(project).asVendored()));
        } catch (DomainException problem) {
            throw problem.property("field") == null ? problem.with("field", "files") : problem;
        }
    }

    /** The form fields' and query parameters' checks that @Valid makes of the JSON bodies. */
    private static void checkStyleAndHandler(String style, String handler) {
        if (style != null && !style.matches(STYLES)) {
            throw new InvalidInputException("style must be one of " + STYLES.replace("|", ", ")).with("field", "style");
        }
        if (handler != null && handler.length() > 200) {
            throw new InvalidInputException("handler is longer than 200 characters").with("field", "handler");
        }
    }

    /** The entry file a handler setting names, for the zip reader; null when it names none (or is malformed). */
    private static String handlerFile(String handler) {
        if (handler == null || handler.isEmpty()) {
            return null;
        }
        return HandlerSetting.parse(handler).entryFile();
    }

    /** An upload's bytes, refused beyond the zip limit without reading more than that. */
    private static byte[] limited(InputStream in, long declaredLength) throws IOException {
        if (declaredLength > FunctionZip.MAX_ZIP_BYTES) {
            throw new InvalidInputException("The zip is " + declaredLength + " bytes; the limit is "
                    + FunctionZip.MAX_ZIP_BYTES + " bytes (30 MB)");
        }
        try (in) {
            byte[] bytes = in.readNBytes(FunctionZip.MAX_ZIP_BYTES + 1);
            if (bytes.length > FunctionZip.MAX_ZIP_BYTES) {
                throw new InvalidInputException("The zip is more than " + FunctionZip.MAX_ZIP_BYTES
                        + " bytes; the limit is " + FunctionZip.MAX_ZIP_BYTES + " bytes (30 MB)");
            }
            return bytes;
        }
    }

    /** A multipart body that could not be taken apart (cut off, malformed, over the server's limits) is a 400. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> unreadableUpload(MultipartException e) {
        return unreadableUpload(e, "a function's zip");
    }

    /** @param what what the upload is ("a function's zip"), named with the size it may have */
    static ResponseEntity<ProblemDetail> unreadableUpload(MultipartException e, String what) {
        ProblemDetail problem = e instanceof MaxUploadSizeExceededException
                ? ApiProblem.problem(ProblemType.REQUEST_TOO_LARGE, "The upload is larger than the server accepts;"
                        + " " + what + " may be " + FunctionZip.MAX_ZIP_BYTES + " bytes (30 MB)")
                : ApiProblem.problem(ProblemType.MALFORMED_REQUEST, "The multipart body could not be read: "
                        + e.getMessage());
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /** A function by id or by name, within the project. */
    private FunctionRepository.FunctionRow find(UUID projectId, String ref) {
        try {
            return functions.get(projectId, UUID.fromString(ref));
        } catch (IllegalArgumentException notAnId) {
            return functions.list(projectId).stream().filter(f -> f.name().equals(ref)).findFirst()
                    .orElseThrow(() -> NotFoundException.of("Function '" + ref + "'"));
        }
    }

    /** @param deployed the deployed version, or null (lists leave it out) */
    private FunctionView view(FunctionRepository.FunctionRow f, FunctionRepository.VersionRow deployed) {
        return view(f, deployed, deployed == null ? null : deployed.style(), asyncRetries.of(f.projectId(), f.id()),
                stats.of(f.projectId(), f.id()));
    }

    private FunctionView view(FunctionRepository.FunctionRow f, FunctionRepository.VersionRow deployed,
            String deployedStyle, int retries, FunctionStats.Stats stats) {
        // the project's own origin when projects have one: the console's host does not run functions
        String base = origins.baseUrlOf(f.projectId()) + "/functions/";
        ResolvedPackages resolved = deployed == null ? null
                : functions.resolvedPackages(f.projectId(), f.id(), deployed.version());
        return new FunctionView(f.id(), f.projectId(), f.name(), f.style(), f.handler(), f.timeoutSeconds(),
                f.requireAuth(), f.enabled(), f.deployedVersion(), deployedStyle,
                deployed == null ? null : deployed.entryFile(), deployed == null ? null : deployed.entryName(),
                deployed == null ? null : deployed.paths(), deployed == null ? null : deployed.code(),
                new Urls(base + f.id() + "/execute", base + f.id() + "/invoke/", base + f.projectId() + "/func/"
                        + f.name()), f.createdAt(), f.updatedAt(), retries,
                resolved == null ? null : resolved.resolved(), resolved == null ? null : resolved.notes(),
                deployed == null ? null : deployed.warnings(), stats);
    }
}
