package io.cococloud.function;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.cococloud.error.ConflictException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.runtime.PythonRuntime;

/**
 * Functions of a project: every code change is a new immutable version of all its files, deployed at once;
 * an earlier version can be deployed again. The files are checked (compile, have the entry point) before
 * anything is stored.
 */
@Service
class FunctionService {

    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    static final int MAX_CODE_CHARS = 512 * 1024;
    /** The entry styles of docs/functions.md#entry-styles (asgi: an app callable that is an ASGI app), all runnable. */
    static final List<String> ALL_STYLES = List.of("main", "handle", "wsgi", "asgi", "event", "http_handler");

    private final FunctionRepository functions;
    private final FunctionRegistry registry;
    private final PythonRuntime runtime;
    /** Its distributions count as vendored when a kept requirements.txt is checked again. */
    private final ProjectPackages layers;
    /** Resolves what requirements.txt names and nothing vendors, when the operator configured an index. */
    private final PackageIndex packages;

    FunctionService(FunctionRepository functions, FunctionRegistry registry, PythonRuntime runtime,
            ProjectPackages layers, PackageIndex packages) {
        this.layers = layers;
        this.functions = functions;
        this.registry = registry;
        this.runtime = runtime;
        this.packages = packages;
    }

    record Settings(String name, Integer timeoutSeconds, Boolean requireAuth, Boolean enabled, String style,
            String handler) {}

    List<FunctionRepository.FunctionRow> list(UUID projectId) {
        return functions.list(projectId);
    }

    Map<UUID, String> deployedStyles(UUID projectId) {
        return functions.deployedStyles(projectId);
    }

    FunctionRepository.FunctionRow get(UUID projectId, UUID functionId) {
        return functions.find(projectId, functionId)
                .orElseThrow(() -> NotFoundException.of("Function " + functionId));
    }

    FunctionRepository.VersionRow deployedVersion(FunctionRepository.FunctionRow function) {
        return functions.version(function.projectId(), function.id(), function.deployedVersion()).orElseThrow();
    }

    List<FunctionRepository.VersionRow> versions(UUID projectId, UUID functionId) {
        get(projectId, functionId);
        return functions.versions(projectId, functionId);
    }

    /**
     * The code a create or update brings: one file's source ({@code code}), or a set of files (a JSON map or a
     * zip's). Both null: no code change.
     */
    record Source(String code, FunctionFiles files) {
        static final Source NONE = new Source(null, null);

        static Source code(String code) {
            return new Source(code, null);
        }

        static Source files(FunctionFiles files) {
            return new Source(null, files);
        }

        boolean given() {
            return code != null || files != null;
        }
    }

    @Transactional
    FunctionRepository.FunctionRow create(UUID projectId, UUID author, Source source, Settings settings) {
        String name = requireName(settings.name());
        if (functions.findByName(projectId, name).isPresent()) {
            throw new ConflictException("A function named '" + name + "' already exists in this project")
                    .with("field", "name");
        }
        requireOne(source);
        if (!source.given()) {
            throw new InvalidInputException("Give the function's code (one file) or files (a map of path to source)")
                    .with("field", "code");
        }
        String handler = handlerSetting(settings.handler());
        HandlerSetting entry = handler == null ? null : HandlerSetting.parse(handler);
        FunctionFiles files = source.files() != null ? source.files()
                : FunctionFiles.single(entry != null ? entry.entryFile() : name + ".py", checkedCode(source.code()));
        FunctionRepository.NewVersion version = checked(files, handler, settings.style());
        Instant now = Instant.now();
        FunctionRepository.FunctionRow row = new FunctionRepository.FunctionRow(projectId, UUID.randomUUID(), name,
                settings.style(), handler, timeout(settings.timeoutSeconds(), 30),
                Boolean.TRUE.equals(settings.requireAuth()), !Boolean.FALSE.equals(settings.enabled()), null, now,
                now);
        functions.insert(row);
        row = withVersion(row, addVersion(projectId, row.id(), version, author), now);
        functions.update(row);
        afterCommit(row.id());
        return row;
    }

    /**
     * Settings change in place; a code, files, style or handler change makes and deploys a new version. New
     * {@code code} replaces the entry file's source and keeps the other files; new {@code files} replace them all.
     */
    @Transactional
    FunctionRepository.FunctionRow update(UUID projectId, UUID functionId, UUID author, Source source,
            Settings settings) {
        FunctionRepository.FunctionRow current = get(projectId, functionId);
        requireOne(source);
        String name = settings.name() == null ? current.name() : requireName(settings.name());
        if (!name.equals(current.name()) && functions.findByName(projectId, name).isPresent()) {
            throw new ConflictException("A function named '" + name + "' already exists in this project")
                    .with("field", "name");
        }
        String styleSetting = settings.style() == null ? current.style() : settings.style();
        String handler = settings.handler() == null ? current.handler() : handlerSetting(settings.handler());
        Instant now = Instant.now();
        FunctionRepository.FunctionRow updated = new FunctionRepository.FunctionRow(projectId, functionId, name,
                styleSetting, handler,
                settings.timeoutSeconds() == null ? current.timeoutSeconds() : timeout(settings.timeoutSeconds(), 30),
                settings.requireAuth() == null ? current.requireAuth() : settings.requireAuth(),
                settings.enabled() == null ? current.enabled() : settings.enabled(), current.deployedVersion(),
                current.createdAt(), now);
        if (source.given() || settings.style() != null || settings.handler() != null) {
            FunctionFiles files = newFiles(current, name, handler, source);
            FunctionRepository.NewVersion version = checked(files, handler, styleSetting);
            updated = withVersion(updated, addVersion(projectId, functionId, version, author), now);
        }
        functions.update(updated);
        afterCommit(functionId);
        return updated;
    }

    private int addVersion(UUID projectId, UUID functionId, FunctionRepository.NewVersion version, UUID author) {
        int number = functions.addVersion(projectId, functionId, version, author);
        functions.addData(projectId, functionId, number, version.data());
        return number;
    }

    /** A version's data files (binary files, vendored packages' data): listed with the version's files. */
    java.util.Map<String, byte[]> versionData(UUID projectId, UUID functionId, int version) {
        return functions.data(projectId, functionId, version);
    }

    /** What a version's deploy resolved from the package index (none when nothing was). */
    ResolvedPackages resolvedPackages(UUID projectId, UUID functionId, int version) {
        return packages.resolved(functions.dataFile(projectId, functionId, version, ResolvedPackages.PATH)
                .orElse(null));
    }

    /** What a version's data files say was resolved from the package index. */
    ResolvedPackages resolvedPackages(java.util.Map<String, byte[]> versionData) {
        return packages.resolvedIn(versionData);
    }

    /** Every file of one version, for reading and comparing versions. */
    FunctionRepository.VersionSource versionFiles(UUID projectId, UUID functionId, int version) {
        FunctionRepository.FunctionRow function = get(projectId, functionId);
        return functions.source(projectId, functionId, version)
                .orElseThrow(() -> NotFoundException.of("Version " + version + " of function " + function.name()));
    }

    /** The files of the next version: the current ones, with what the update brings. */
    private FunctionFiles newFiles(FunctionRepository.FunctionRow current, String name, String handler,
            Source source) {
        if (source.files() != null) {
            return source.files();
        }
        FunctionRepository.VersionSource deployed = functions.source(current.projectId(), current.id(),
                current.deployedVersion()).orElseThrow();
        FunctionFiles files = FunctionFiles.of(deployed.files(),
                functions.data(current.projectId(), current.id(), current.deployedVersion()),
                layers.layer(current.projectId()).asVendored());
        if (source.code() == null) {
            return files;
        }
        String code = checkedCode(source.code());
        if (handler != null) {
            String entryFile = HandlerSetting.parse(handler).entryFile();
            return deployed.files().size() == 1 ? FunctionFiles.single(entryFile, code) : files.with(entryFile, code);
        }
        // one file is named after the function, as a single-file function always was
        return deployed.files().size() == 1 ? FunctionFiles.single(name + ".py", code)
                : files.with(deployed.entryFile(), code);
    }

    @Transactional
    FunctionRepository.FunctionRow deploy(UUID projectId, UUID functionId, int version) {
        FunctionRepository.FunctionRow current = get(projectId, functionId);
        functions.version(projectId, functionId, version)
                .orElseThrow(() -> NotFoundException.of("Version " + version + " of function " + current.name()));
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

    /**
     * The version these files make: the entry file the handler names (or the default one), the entry point and
     * style the runtime's check finds there. Any file that does not compile, a missing entry file or entry
     * point, is the deployer's 400 naming the file and line. Requirements nothing vendored meets are resolved
     * from the operator's package index first, or refused.
     */
    private FunctionRepository.NewVersion checked(FunctionFiles given, String handler, String style) {
        if (style != null && !ALL_STYLES.contains(style)) {
            throw new InvalidInputException("style must be one of " + String.join(", ", ALL_STYLES))
                    .with("field", "style");
        }
        FunctionFiles files = packages.resolve(given);
        HandlerSetting entry = handler == null ? null : HandlerSetting.parse(handler);
        String entryFile = entry != null ? entry.entryFile() : defaultEntryFile(files);
        if (!files.contains(entryFile)) {
            throw new InvalidInputException("handler '" + handler + "' names the file " + entryFile
                    + ", which is not among the function's files (" + String.join(", ", files.paths()) + ")")
                    .with("field", "handler");
        }
        // only the function's own sources: a vendored package's many files would make every deploy slow
        PythonRuntime.Check check = runtime.check(files.ownSources(entryFile), entryFile,
                entry == null ? null : entry.entryName(), style);
        if (!check.ok()) {
            String file = check.file() != null ? check.file() : entryFile;
            throw new InvalidInputException(check.error() + " (" + file
                    + (check.line() > 0 ? ", line " + check.line() : "") + ")")
                    .with("file", file).with("line", check.line() > 0 ? check.line() : null);
        }
        return new FunctionRepository.NewVersion(files.map(), entryFile, check.entryName(), check.style(), handler,
                files.data(), check.warnings());
    }

    /**
     * Without a handler: the only file, else index.py (Function Compute's default, index.handler), else main.py,
     * else the only .py file at the top.
     */
    private static String defaultEntryFile(FunctionFiles files) {
        List<String> paths = files.paths();
        if (paths.size() == 1) {
            return paths.getFirst();
        }
        for (String conventional : List.of("index.py", "main.py")) {
            if (files.contains(conventional)) {
                return conventional;
            }
        }
        List<String> topLevel = paths.stream().filter(p -> p.endsWith(".py") && !p.contains("/")).toList();
        if (topLevel.size() == 1) {
            return topLevel.getFirst();
        }
        throw new InvalidInputException("Which file is the entry? There is no index.py or main.py and "
                + (topLevel.isEmpty() ? "no .py file at the top" : "several .py files at the top ("
                        + String.join(", ", topLevel) + ")")
                + ": set handler to file.method, e.g. index.handler").with("field", "handler");
    }

    private static void requireOne(Source source) {
        if (source.code() != null && source.files() != null) {
            throw new InvalidInputException("Give code (one file) or files, not both").with("field", "files");
        }
    }

    /** "" clears the setting. */
    private static String handlerSetting(String handler) {
        return handler == null || handler.isEmpty() ? null : handler;
    }

    private static String checkedCode(String code) {
        if (code.isBlank()) {
            throw new InvalidInputException("code must not be empty").with("field", "code");
        }
        if (code.length() > MAX_CODE_CHARS) {
            throw new InvalidInputException("code is " + code.length() + " characters; the limit is " + MAX_CODE_CHARS)
                    .with("field", "code");
        }
        return code;
    }

    private static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("name '" + name + "' must be 1 to 64 characters of letters, digits, '_' and"
                    + " '-', starting with a letter").with("field", "name");
        }
        return name;
    }

    private static int timeout(Integer seconds, int fallback) {
        int value = seconds == null ? fallback : seconds;
        if (value < 1 || value > 900) {
            throw new InvalidInputException("timeout_s must be between 1 and 900 seconds").with("field", "timeout_s");
        }
        return value;
    }

    private static FunctionRepository.FunctionRow withVersion(FunctionRepository.FunctionRow f, int version,
            Instant now) {
        return new FunctionRepository.FunctionRow(f.projectId(), f.id(), f.name(), f.style(), f.handler(),
                f.timeoutSeconds(), f.requireAuth(), f.enabled(), version, f.createdAt(), now);
    }
}
