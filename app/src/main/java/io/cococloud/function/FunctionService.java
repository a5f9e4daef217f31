package io.cococloud.function;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.cococloud.runtime.PythonRuntime;
import io.cococloud.web.ApiProblem;
import io.cococloud.web.ProblemType;

/**
 * Functions of a project: every code change is a new immutable version, deployed at once;
 * an earlier version can be deployed again. Code is checked (compiles, has an entry point)
 * before anything is stored.
 */
@Service
class FunctionService {

    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    static final int MAX_CODE_CHARS = 512 * 1024;
    /** The entry styles of FUNCTION_API.md §1 (asgi: an app callable that is an ASGI app), all runnable. */
    static final List<String> ALL_STYLES = List.of("main", "handle", "wsgi", "asgi", "event", "http_handler");

    private final FunctionRepository functions;
    private final FunctionRegistry registry;
    private final PythonRuntime runtime;

    FunctionService(FunctionRepository functions, FunctionRegistry registry, PythonRuntime runtime) {
        this.functions = functions;
        this.registry = registry;
        this.runtime = runtime;
    }

    record Settings(String name, Integer timeoutSeconds, Boolean requireAuth, Boolean enabled, String style,
            String handler) {}

    List<FunctionRepository.FunctionRow> list(UUID projectId) {
        return functions.list(projectId);
    }

    FunctionRepository.FunctionRow get(UUID projectId, UUID functionId) {
        return functions.find(projectId, functionId)
                .orElseThrow(() -> ApiProblem.notFound("Function " + functionId));
    }

    FunctionRepository.VersionRow deployedVersion(FunctionRepository.FunctionRow function) {
        return functions.version(function.projectId(), function.id(), function.deployedVersion()).orElseThrow();
    }

    List<FunctionRepository.VersionRow> versions(UUID projectId, UUID functionId) {
        get(projectId, functionId);
        return functions.versions(projectId, functionId);
    }

    @Transactional
    FunctionRepository.FunctionRow create(UUID projectId, UUID author, String code, Settings settings) {
        String name = requireName(settings.name());
        if (functions.findByName(projectId, name).isPresent()) {
            throw ApiProblem.conflict("A function named '" + name + "' already exists in this project");
        }
        String style = checkedStyle(code, settings.style(), name);
        Instant now = Instant.now();
        FunctionRepository.FunctionRow row = new FunctionRepository.FunctionRow(projectId, UUID.randomUUID(), name,
                settings.style(), settings.handler(), timeout(settings.timeoutSeconds(), 30),
                Boolean.TRUE.equals(settings.requireAuth()), !Boolean.FALSE.equals(settings.enabled()), null, now,
                now);
        functions.insert(row);
        int version = functions.addVersion(projectId, row.id(), code, style, settings.handler(), author);
        row = withVersion(row, version, now);
        functions.update(row);
        afterCommit(row.id());
        return row;
    }

    /** Settings change in place; a code (or style/handler) change makes and deploys a new version. */
    @Transactional
    FunctionRepository.FunctionRow update(UUID projectId, UUID functionId, UUID author, String code,
            Settings settings) {
        FunctionRepository.FunctionRow current = get(projectId, functionId);
        String name = settings.name() == null ? current.name() : requireName(settings.name());
        if (!name.equals(current.name()) && functions.findByName(projectId, name).isPresent()) {
            throw ApiProblem.conflict("A function named '" + name + "' already exists in this project");
        }
        String styleSetting = settings.style() == null ? current.style() : settings.style();
        String handler = settings.handler() == null ? current.handler() : settings.handler();
        Instant now = Instant.now();
        FunctionRepository.FunctionRow updated = new FunctionRepository.FunctionRow(projectId, functionId, name,
                styleSetting, handler,
                settings.timeoutSeconds() == null ? current.timeoutSeconds() : timeout(settings.timeoutSeconds(), 30),
                settings.requireAuth() == null ? current.requireAuth() : settings.requireAuth(),
                settings.enabled() == null ? current.enabled() : settings.enabled(), current.deployedVersion(),
                current.createdAt(), now);
        boolean newVersion = code != null || settings.style() != null || settings.handler() != null;
        if (newVersion) {
            String source = code != null ? code : deployedVersion(current).code();
            String style = checkedStyle(source, styleSetting, name);
            updated = withVersion(updated, functions.addVersion(projectId, functionId, source, style, handler, author),
                    now);
        }
        functions.update(updated);
        afterCommit(functionId);
        return updated;
    }

    @Transactional
    FunctionRepository.FunctionRow deploy(UUID projectId, UUID functionId, int version) {
        FunctionRepository.FunctionRow current = get(projectId, functionId);
        functions.version(projectId, functionId, version)
                .orElseThrow(() -> ApiProblem.notFound("Version " + version + " of function " + current.name()));
        FunctionRepository.FunctionRow updated = withVersion(current, version, Instant.now());
        functions.update(updated);
        afterCommit(functionId);
        return updated;
    }

    @Transactional
    void delete(UUID projectId, UUID functionId) {
        get(projectId, functionId);
        functions.delete(projectId, functionId);
        afterCommit(functionId);
    }

    /** Only once the change is committed may executions see it; then warm it up. */
    private void afterCommit(UUID functionId) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                registry.evict(functionId);
                registry.byId(functionId).ifPresent(f -> runtime.prewarm(f.functionCode()));
            }
        });
    }

    private String checkedStyle(String code, String explicitStyle, String name) {
        if (code == null || code.isBlank()) {
            throw ApiProblem.badRequest("code must not be empty");
        }
        if (code.length() > MAX_CODE_CHARS) {
            throw ApiProblem.badRequest("code is " + code.length() + " characters; the limit is " + MAX_CODE_CHARS);
        }
        if (explicitStyle != null && !ALL_STYLES.contains(explicitStyle)) {
            throw ApiProblem.badRequest("style must be one of " + String.join(", ", ALL_STYLES));
        }
        PythonRuntime.Check check = runtime.check(java.util.Map.of(name + ".py", code), name + ".py", null, null);
        if (!check.ok()) {
            throw ApiProblem.of(ProblemType.VALIDATION, check.error()
                    + (check.line() > 0 ? " (" + check.file() + ", line " + check.line() + ")" : ""));
        }
        return explicitStyle != null ? explicitStyle : check.style();
    }

    private static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiProblem.badRequest("name '" + name + "' must be 1 to 64 characters of letters, digits, '_' and"
                    + " '-', starting with a letter");
        }
        return name;
    }

    private static int timeout(Integer seconds, int fallback) {
        int value = seconds == null ? fallback : seconds;
        if (value < 1 || value > 900) {
            throw ApiProblem.badRequest("timeout_s must be between 1 and 900 seconds");
        }
        return value;
    }

    private static FunctionRepository.FunctionRow withVersion(FunctionRepository.FunctionRow f, int version,
            Instant now) {
        return new FunctionRepository.FunctionRow(f.projectId(), f.id(), f.name(), f.style(), f.handler(),
                f.timeoutSeconds(), f.requireAuth(), f.enabled(), version, f.createdAt(), now);
    }
}
