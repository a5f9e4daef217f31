package io.cococloud.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The one shared GraalPy engine (compiled code is shared by all its contexts) and the sandbox
 * every context is built with. The CONSTRAINED policy checks that nothing below is loosened:
 * no file system but the read-only one of the function's own files ({@link CodeFileSystem}), no threads,
 * no processes, no native code, no host classes, no polyglot, no
 * environment variables; Python reaches only methods marked {@code @HostAccess.Export}.
 */
final class PythonEngine implements AutoCloseable {

    private final Engine engine;
    /** Evaluated first in every context: it makes the package `cococloud` importable from {@link #sources}. */
    private final Source bootstrap;
    /**
     * The package's modules, which are not in a context's files: for each, its name, file name, "1" for a package
     * else "0" and source, every field ended by a NUL (Python source cannot hold one). Not JSON: reading JSON in a
     * new context needs the json module, whose import (re, enum) was a third of the prelude's.
     */
    private final String sources;
    private final long statementLimit;
    /** The compiled copy of the standard library contexts import from, or null when it could not be made. */
    private final Path standardLibrary;
    /** The thread closing the engine, once a close has begun. */
    private final AtomicReference<Thread> closing = new AtomicReference<>();
    /** What contexts see read-only of the host's disk, by mount point (see CodeFileSystem). */
    private final Map<String, Path> hostFolders;
    private final Source standardLibraryFirst;
    private final FunctionBytecode bytecode;
    /** The package's sources by file name ("&lt;cococloud&gt;/cococloud/invoke.py"), which contexts load as bytecode. */
    private final Map<String, byte[]> packageFiles = new HashMap<>();
    /** Where the package's bytecode is kept between starts, and whether it was (or has been) written there. */
    private final Path preludeFolder;
    private volatile boolean preludeOnDisk;

    PythonEngine(long statementLimit) {
        this.engine = Engine.newBuilder("python")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.bootstrap = source("runtime/bootstrap.py");
        Map<String, List<Object>> modules = packageModules();
        this.sources = nulSeparated(modules);
        modules.values().forEach(module -> packageFiles.put((String) module.get(0),
                ((String) module.get(2)).getBytes(StandardCharsets.UTF_8)));
        this.statementLimit = statementLimit;
        // GraalPy's release (the polyglot one: they ship together) and its Python's
        this.standardLibrary = CompiledStandardLibrary.prepare(cacheRoot(),
                engine.getVersion() + "-py" + engine.getLanguages().get("python").getVersion());
        Map<String, Path> folders = new HashMap<>();
        if (standardLibrary != null) {
            folders.put(CompiledStandardLibrary.MOUNT, standardLibrary);
        }
        Path timeZones = Path.of(CodeFileSystem.TIME_ZONES); // public data; zoneinfo finds none otherwise
        if (Files.isDirectory(timeZones)) {
            folders.put(CodeFileSystem.TIME_ZONES, timeZones);
        }
        this.hostFolders = Map.copyOf(folders);
        this.standardLibraryFirst = Source.create("python",
                "import sys\nsys.path.insert(0, '" + CompiledStandardLibrary.MOUNT + "')\n");
        // A share of the heap (and as much disk): Flask's bytecode is ~4 MB, a function's own files a few KB.
        long bytecodeLimit = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
        BytecodeStore store = new BytecodeStore(BytecodeStore.folder(cacheRoot(), engine.getVersion()), bytecodeLimit);
        this.bytecode = new FunctionBytecode(bytecodeLimit, store);
        this.preludeFolder = CompiledPrelude.folder(cacheRoot(), engine.getVersion(), packageFiles);
        this.preludeOnDisk = CompiledPrelude.load(preludeFolder, packageFiles, bytecode);
    }

    /**
     * Keeps the runtime package's bytecode on disk for the next start, unless it came from there (see
     * CompiledPrelude); after a first context, which has compiled it already.
     */
    void keepPreludeBytecode() {
        if (!preludeOnDisk) {
            CompiledPrelude.save(preludeFolder, packageFiles, bytecode);
            preludeOnDisk = true;
        }
    }

    /** How many Python files this engine's contexts had compiled for them (tests tell bytecode from disk by it). */
    long compiledFiles() {
        return bytecode.compiles();
    }

    /**
     * Where this machine keeps what the runtime derives from GraalPy once (the compiled standard library):
     * {@code ~/.cache/cococloud}, or the system property {@code coco.runtime.cache-dir}.
     */
    private static Path cacheRoot() {
        String configured = System.getProperty("coco.runtime.cache-dir");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "cococloud");
    }

    /**
     * Compiles a function's Python file into the bytecode its contexts will load (at deploy, so that no call waits
     * for it); false when it does not compile there (a syntax error, or a plain def that awaits).
     */
    boolean precompile(String path, String source) {
        return bytecode.of(CodeTree.ROOT + "/" + path, source.getBytes(StandardCharsets.UTF_8)) != null;
    }

    /** A file system for a new context: its versions' files, the compiled standard library and their bytecode. */
    CodeFileSystem newFileSystem() {
        return new CodeFileSystem(hostFolders, bytecode, packageFiles);
    }

    String implementationName() {
        return engine.getImplementationName();
    }

    /**
     * A sandboxed context with the runtime package loaded and {@code host} given to it; {@code files} is its only
     * file system (read-only, the running version's files at /code), its working directory /code.
     */
    Context newContext(OutputCapture out, OutputCapture err, Object host, CodeFileSystem files) {
        return bind(newUnboundContext(out, err, files), host);
    }

    /** A context as {@link #newContext} makes it, but given no host yet: see {@link #bind}. */
    Context newUnboundContext(OutputCapture out, OutputCapture err, CodeFileSystem files) {
        return newContext(out, err, "cococloud.invoke", files);
    }

    /** Gives an unbound context its host, once: from then on it acts for the host's project. */
    Context bind(Context context, Object host) {
        try {
            context.getBindings("python").getMember("_cococloud_runtime").invokeMember("setup", host);
            return context;
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /** {@code entryModule}'s functions are then reachable as the context's {@code _cococloud_runtime}. */
    private Context newContext(OutputCapture out, OutputCapture err, String entryModule, CodeFileSystem files) {
        Context.Builder builder = Context.newBuilder("python")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(out)
                .err(err)
                .allowIO(files == null ? IOAccess.NONE
                        : IOAccess.newBuilder().fileSystem(files.forContext()).build())
                .allowHostAccess(HostAccess.CONSTRAINED)
                .allowHostClassLookup(name -> false)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE);
        if (files != null) {
            builder.currentWorkingDirectory(Path.of(CodeTree.ROOT));
        }
        if (statementLimit > 0) {
            builder.resourceLimits(ResourceLimits.newBuilder().statementLimit(statementLimit, null).build());
        }
        Context context = builder.build();
        try {
            if (files != null && standardLibrary != null) {
                context.eval(standardLibraryFirst); // before anything imports: the modules then load compiled
            }
            context.eval(bootstrap);
            Value bindings = context.getBindings("python");
            bindings.putMember("_cococloud_runtime",
                    bindings.getMember("_cococloud_boot").execute(sources, entryModule));
            return context;
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /** A context for deploy-time checks: it compiles and inspects code but never runs it. */
    Context newCheckContext() {
        return bind(newContext(new OutputCapture(4096, false), new OutputCapture(4096, false), "cococloud.check",
                null), null);
    }

    @Override
    public void close() {
        engine.close(true);
        bytecode.close();
    }

    /**
     * Closes the engine on a daemon thread, which cancels what still runs, and waits for that at most
     * {@code patience}: a builtin that ignores cancellation (7 ** 30_000_000) can hold the close for minutes, and a
     * server's (or a test JVM's) exit must never wait for it. Only the first call begins the close and waits; a
     * later one only says whether it has ended.
     *
     * @return whether the engine is closed
     */
    boolean closeWithin(Duration patience) throws InterruptedException {
        Thread closer = Thread.ofPlatform().daemon().name("python-engine-close").unstarted(this::close);
        if (!closing.compareAndSet(null, closer)) {
            return closing.get().getState() == Thread.State.TERMINATED; // not "not alive": maybe not started yet
        }
        closer.start();
        return closer.join(patience);
    }

    /** The package's modules: name → [file name, is package, source]. */
    private static Map<String, List<Object>> packageModules() {
        try {
            Map<String, List<Object>> modules = new TreeMap<>();
            String root = "runtime/";
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(
                    "classpath*:" + root + "cococloud/**/*.py")) {
                String url = resource.getURL().toString();
                String path = url.substring(url.lastIndexOf(root) + root.length()); // cococloud/styles/wsgi.py
                boolean isPackage = path.endsWith("/__init__.py");
                String name = (isPackage ? path.substring(0, path.length() - "/__init__.py".length())
                        : path.substring(0, path.length() - ".py".length())).replace('/', '.');
                modules.put(name, List.of("<cococloud>/" + path, isPackage,
                        resource.getContentAsString(StandardCharsets.UTF_8)));
            }
            if (!modules.containsKey("cococloud.invoke")) {
                throw new IllegalStateException("The runtime's Python package is missing from the build");
            }
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException("The runtime's Python sources are missing from the build", e);
        }
    }

    private static String nulSeparated(Map<String, List<Object>> modules) {
        StringBuilder text = new StringBuilder();
        modules.forEach((name, module) -> {
            String source = (String) module.get(2);
            if (source.indexOf('\0') >= 0) {
                throw new IllegalStateException(module.get(0) + " holds a NUL character, which Python source cannot");
            }
            text.append(name).append('\0').append(module.get(0)).append('\0')
                    .append((Boolean) module.get(1) ? '1' : '0').append('\0').append(source).append('\0');
        });
        return text.toString();
    }

    private static Source source(String resource) {
        try {
            String text = new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
            // Named as our frames are (<cococloud>/...), which tracebacks leave out; cached by the engine.
            return Source.newBuilder("python", text, "<cococloud>/" + resource.substring(resource.indexOf('/') + 1))
                    .cached(true).build();
        } catch (IOException e) {
            throw new UncheckedIOException("The runtime's Python sources are missing from the build", e);
        }
    }
}
