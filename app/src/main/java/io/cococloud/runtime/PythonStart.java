package io.cococloud.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python engine and its first context, made on a thread of their own from the moment the server's settings are
 * known. The first context of a fresh engine takes seconds (it loads the prelude and the standard library's modules
 * into the engine, whose later contexts share them). Begun before Spring makes its first bean, it overlaps the
 * whole of Spring's start rather than its last part, so a restarted server's first call finds it done
 * (bench/README.md, "Start-up and memory"). Contexts asked for meanwhile wait for it rather than pay it a second time
 * in parallel, and the runtime takes that first context as its spare: the first call of a restarted server gets it,
 * instead of sharing the CPU with the making of another.
 */
final class PythonStart implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PythonStart.class);

    private final RuntimeProperties settings;
    private final CompletableFuture<PythonEngine> engine = new CompletableFuture<>();
    private final CompletableFuture<SandboxedContext> firstContext = new CompletableFuture<>();

    private PythonStart(RuntimeProperties settings) {
        this.settings = settings;
    }

    /** Makes the engine and the first context of a runtime with these settings. */
    static PythonStart begin(RuntimeProperties settings) {
        PythonStart start = new PythonStart(settings);
        // a deep stack, as the runtime's workers: compiling the prelude and the standard library recurses
        Thread.ofPlatform().name("python-warm-up").daemon().stackSize(16L << 20).start(start::warmUp);
        return start;
    }

    private void warmUp() {
        long began = System.nanoTime();
        PythonEngine made;
        try {
            made = new PythonEngine(settings.statementLimit());
        } catch (RuntimeException | Error e) {
            engine.completeExceptionally(e);
            firstContext.complete(null);
            return;
        }
        engine.complete(made);
        SandboxedContext first = null;
        try {
            first = SandboxedContext.unbound(made, settings);
            made.keepPreludeBytecode();
            log.info("Python runtime ready ({}; warm-up {} ms)", made.implementationName(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        } catch (RuntimeException e) {
            log.warn("Warming the Python runtime up failed; the first call pays for it", e);
        } finally {
            firstContext.complete(first);
        }
    }

    /** The settings the engine and the first context were made with. */
    RuntimeProperties settings() {
        return settings;
    }

    /** The engine, once made (at once but for the first moments of a start); its failure, if it could not be. */
    PythonEngine engine() {
        try {
            return engine.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw (Error) e.getCause();
        }
    }

    /**
     * The first context, unbound, for the runtime to take (null when it could not be made): whoever takes it
     * closes it, or the engine's close does.
     */
    CompletableFuture<SandboxedContext> firstContext() {
        return firstContext;
    }

    /**
     * Closes the engine: what still runs in it (the warm-up, if the server stops this early) is cancelled. Waits at
     * most 5 s, and not at all when the runtime has begun the close already.
     */
    @Override
    public void close() {
        engine.thenAccept(made -> {
            try {
                made.closeWithin(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
