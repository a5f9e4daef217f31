package io.cococloud.runtime;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warm Python context of a project, borrowed by one call at a time. Knows which function
 * versions it has loaded; is thrown away after a cancellation, a tripped limit, or many uses.
 */
class SandboxedContext {

    private static final Logger log = LoggerFactory.getLogger(SandboxedContext.class);

    final Context context;
    final OutputCapture out;
    final OutputCapture err;
    /** What the context's file system shows: the files of the version it runs. */
    final CodeFileSystem files;
    private Value load;
    private Value invoke;
    private Value unload;
    private final Set<String> loaded = new HashSet<>();
    /** The versions loaded, oldest first: what a successor loads before it takes over (see ProjectPool). */
    private final Map<String, FunctionCode> loadedFunctions = Collections.synchronizedMap(new LinkedHashMap<>());
    /**
     * What the versions loaded here outside any call (a deploy's warm-up, a successor taking over) printed and
     * logged at module level, by version: no call has reported it yet, so the version's first call here does.
     */
    private final Map<String, LoadOutput> unreportedLoadOutput = new HashMap<>();
    /** Time spent loading versions here: a context that took long to warm is kept longer when idle. */
    private volatile long loadNanos;
    int uses;
    long idleSince = System.nanoTime();
    volatile boolean broken;
    /** Past its use limit: serves on until its replacement is ready, then is closed. */
    boolean retiring;
    /**
     * Bytes allocated by the calls that ran here since the context was made: what its module globals and caches
     * can be holding at most. GraalPy CE cannot tell what a context retains, so under heap pressure the
     * contexts that allocated the most are the ones discarded first.
     */
    private volatile long allocated;
    private volatile boolean closed;

    SandboxedContext(Context context, OutputCapture out, OutputCapture err, CodeFileSystem files) {
        this.context = context;
        this.out = out;
        this.err = err;
        this.files = files;
    }

    /**
     * A functions' context of {@code engine}, with the output limits of {@code settings}, not yet given to a
     * project (see SpareContext).
     */
    static SandboxedContext unbound(PythonEngine engine, RuntimeProperties settings) {
        OutputCapture out = new OutputCapture(settings.outputLimit(), true);
        OutputCapture err = new OutputCapture(settings.logLimit(), false);
        CodeFileSystem files = engine.newFileSystem();
        return new SandboxedContext(engine.newUnboundContext(out, err, files), out, err, files);
    }

    /** A stand-in without a Python context (unit tests of the pool). */
    SandboxedContext(Context context, OutputCapture out, OutputCapture err) {
        this(context, out, err, new CodeFileSystem());
    }

    /** The entry points of cococloud.invoke, looked up once, on first use. */
    private void bind() {
        if (invoke == null) {
            Value runtime = context.getBindings("python").getMember("_cococloud_runtime");
            load = runtime.getMember("load");
            invoke = runtime.getMember("invoke");
            unload = runtime.getMember("unload");
        }
    }

    /**
     * Loads the function's version unless it is already loaded here.
     *
     * @return null when loaded, else the error outcome of its module-level code (then it is not loaded)
     */
    Value ensureLoaded(FunctionCode function, Function<FunctionCode, String> filesJson,
            Function<FunctionCode, String> settingsJson) {
        bind();
        files.show(function); // module-level code reads its files too (templates, data)
        if (loaded.add(function.key())) {
            long started = System.nanoTime();
            try {
                // Serialized only when loading: a version with vendored packages has megabytes of sources.
                Value failed = load.execute(function.key(), filesJson.apply(function), settingsJson.apply(function));
                if (!failed.isNull()) {
                    loaded.remove(function.key());
                    return failed;
                }
                loadedFunctions.put(function.key(), function);
            } catch (RuntimeException e) {
                loaded.remove(function.key());
                throw e;
            } finally {
                long took = System.nanoTime() - started;
                loadNanos += took; // only the thread holding the context writes
                if (took > ProjectPool.SLOW_LOAD_NANOS) { // a framework's import: operators size pools by it
                    log.info("Loaded {} of project {} into a context in {} ms", function.key(), function.projectId(),
                            took / 1_000_000);
                }
            }
        }
        return null;
    }

    /** Whether the version is loaded here, so that a call of it runs at once. */
    boolean isLoaded(FunctionCode function) {
        return isLoaded(function.key());
    }

    boolean isLoaded(String key) {
        return loadedFunctions.containsKey(key); // thread-safe: the pool asks while another thread may load
    }

    /** The versions loaded here, oldest first. */
    List<FunctionCode> loadedFunctions() {
        synchronized (loadedFunctions) {
            return List.copyOf(loadedFunctions.values());
        }
    }

    long loadNanos() {
        return loadNanos;
    }

    /** Forgets other versions of the same function, so old code does not pile up. */
    void unloadOtherVersions(FunctionCode function) {
        bind();
        String prefix = function.functionId() + ":";
        loaded.removeIf(key -> {
            if (key.startsWith(prefix) && !key.equals(function.key())) {
                unload.execute(key);
                files.forget(key);
                loadedFunctions.remove(key);
                unreportedLoadOutput.remove(key);
                return true;
            }
            return false;
        });
    }

    private record LoadOutput(OutputCapture.Held printed, OutputCapture.Held logged) {}

    /**
     * Keeps what the version's load wrote, which nobody has read, for its first call here. Like every use of
     * the context, only the thread holding it calls this.
     */
    void keepLoadOutput(FunctionCode function) {
        OutputCapture.Held printed = out.hold();
        OutputCapture.Held logged = err.hold();
        if (isLoaded(function) && (printed != null || logged != null)) {
            unreportedLoadOutput.put(function.key(), new LoadOutput(printed, logged));
        }
    }

    /** Calls the version, its load's output first in the call's own if no call of it here has reported that yet. */
    Value invoke(String key, String metaJson, String bodyLatin1) {
        bind();
        LoadOutput unreported = unreportedLoadOutput.remove(key);
        if (unreported != null) {
            out.putBack(unreported.printed());
            err.putBack(unreported.logged());
        }
        return invoke.execute(key, metaJson, bodyLatin1);
    }

    long allocated() {
        return allocated;
    }

    void addAllocated(long bytes) {
        allocated += bytes; // only the one thread that holds the context writes
    }

    void close() {
        try {
            if (context != null) { // null only for the stand-ins of unit tests
                context.close(true);
            }
        } catch (RuntimeException e) {
            // already closed or cancelled: nothing left to release
        } finally {
            closed = true;
        }
    }

    /** Whether {@link #close} has finished, so what the context held can be collected. */
    boolean closed() {
        return closed;
    }
}
