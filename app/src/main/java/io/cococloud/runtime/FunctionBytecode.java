package io.cococloud.runtime;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The compiled bytecode ({@code marshal} data) of functions' Python files, vendored packages included, made once per
 * server and loaded by every context that runs them.
 *
 * <p>Why: code a context compiles from source stays in memory after the context is closed (GraalPy 25.2.4,
 * oracle/graalpython#1083), ~100 MB for a context that imported Flask; code loaded from bytecode is shared by all
 * contexts of the engine, keyed by a hash of the bytecode.
 *
 * <p>Bytecode is made here, never in a tenant's context: a context that could hand bytecode to the server could
 * hand anything under any file name. The compiler context runs no tenant code (compiling does not run it) and has an
 * engine of its own, replaced after it has compiled {@link #RECYCLE_AFTER} characters, since what it compiles also
 * stays with it. One file is compiled at a time. The cache is keyed by file name and a SHA-256 of the source, so two
 * projects with the same file share its bytecode and no project's file can stand for another's. Functions' files are
 * also kept on disk ({@link BytecodeStore}), so that a restarted server does not compile them again.
 */
final class FunctionBytecode implements AutoCloseable {

    private static final long RECYCLE_AFTER = 64L << 20;
    private static final Duration COMPILE_LIMIT = Duration.ofSeconds(30);
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "python-compile-watchdog");
        thread.setDaemon(true);
        return thread;
    });
    private static final String COMPILER = """
            import marshal

            def compile_file(source, filename):
                try:
                    return marshal.dumps(compile(source, filename, "exec", dont_inherit=True))
                except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
                    return None  # the context compiles it and reports the error as for any source
            """;

    private final Cache<Key, Optional<byte[]>> compiled;
    private final BytecodeStore store;
    private Engine engine;
    private Value compile;
    private long compiledSince;
    private boolean closed;
    private final AtomicLong compiles = new AtomicLong();

    private record Key(String filename, String sha256) {}

    /** @param maximumBytes how much bytecode is kept; a file pushed out is compiled again when next needed */
    FunctionBytecode(long maximumBytes) {
        this(maximumBytes, null);
    }

    /** Functions' files are also kept in {@code store} (null: none), and read from there before they are compiled. */
    FunctionBytecode(long maximumBytes, BytecodeStore store) {
        this.store = store;
        this.compiled = Caffeine.newBuilder()
                .maximumWeight(maximumBytes)
                .<Key, Optional<byte[]>>weigher((key, bytes) -> 64 + key.filename().length()
                        + bytes.map(b -> b.length).orElse(0))
                .build();
    }

    /**
     * The bytecode of a Python file whose code will be named {@code filename}, or null when it does not compile
     * here (a syntax error, or a plain def that awaits, which the context compiles its own way).
     */
    byte[] of(String filename, byte[] source) {
        return compiled.get(new Key(filename, sha256(source)), key -> Optional.ofNullable(load(key, source)))
                .orElse(null);
    }

    /** From the store if it has it, else compiled (and then stored); the runtime's own package has a store of its own. */
    private byte[] load(Key key, byte[] source) {
        boolean stored = store != null && key.filename().startsWith(CodeTree.ROOT + "/");
        byte[] bytecode = stored ? store.read(key.filename(), key.sha256()) : null;
        if (bytecode == null) {
            bytecode = compile(key.filename(), source);
            if (stored && bytecode != null) {
                store.write(key.filename(), key.sha256(), bytecode);
            }
        }
        return bytecode;
    }

    /**
     * Bytecode this class made earlier for the same file name and source, kept on disk by the server (the runtime's
     * own package, see PythonEngine): contexts then load it without a compiler engine being started.
     */
    void seed(String filename, byte[] source, byte[] bytecode) {
        compiled.put(new Key(filename, sha256(source)), Optional.of(bytecode));
    }

    /** How many files were compiled here (not found in the cache): tests tell seeded bytecode by it. */
    long compiles() {
        return compiles.get();
    }

    private synchronized byte[] compile(String filename, byte[] source) {
        compiles.incrementAndGet();
        if (closed) {
            return null;
        }
        if (engine == null || compiledSince > RECYCLE_AFTER) {
            recycle();
        }
        compiledSince += source.length;
        Value bytecode;
        Engine compiling = engine;
        // One compile at a time for all projects: none may hold the others up for long. Stopped past the limit,
        // the file is compiled by the context that asked (its own call pays for it).
        ScheduledFuture<?> stop = WATCHDOG.schedule(() -> compiling.close(true), COMPILE_LIMIT.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            bytecode = compile.execute(new String(source, StandardCharsets.UTF_8), filename);
        } catch (PolyglotException | IllegalStateException e) {
            // source that breaks the compiler itself (a parser's stack exhausted), or a compile stopped: a fresh
            // compiler next time, and the context's own compile reports it as for any source
            compiledSince = Long.MAX_VALUE;
            return null;
        } finally {
            stop.cancel(false);
        }
        if (bytecode.isNull()) {
            return null;
        }
        byte[] bytes = new byte[(int) bytecode.getBufferSize()];
        bytecode.readBuffer(0, bytes, 0, bytes.length);
        return bytes;
    }

    private void recycle() {
        if (engine != null) {
            engine.close(true);
        }
        engine = Engine.newBuilder("python")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        Context compiler = Context.newBuilder("python")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .allowIO(IOAccess.NONE)
                .build();
        compiler.eval("python", COMPILER);
        compile = compiler.getBindings("python").getMember("compile_file");
        compiledSince = 0;
    }

    private static String sha256(byte[] source) {
        return HexFormat.of().formatHex(BytecodeStore.sha256(source));
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (engine != null) {
            engine.close(true);
            engine = null;
        }
    }
}
