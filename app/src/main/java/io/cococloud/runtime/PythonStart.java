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
 * in parallel.
 */
final class PythonStart implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PythonStart.class);

    private final long statementLimit;
    private final CompletableFuture<PythonEngine> engine = new CompletableFuture<>();
    private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();

    private PythonStart(long statementLimit) {
        this.statementLimit = statementLimit;
    }

    /** Makes the engine of contexts limited to {@code statementLimit} statements per call (0: none), and warms it. */
    static PythonStart begin(long statementLimit) {
        PythonStart start = new PythonStart(statementLimit);
        // a deep stack, as the runtime's workers: compiling the prelude and the standard library recurses
        Thread.ofPlatform().name("python-warm-up").daemon().stackSize(16L << 20).start(start::warmUp);
        return start;
    }

    private void warmUp() {
        long began = System.nanoTime();
        PythonEngine made;
        try {
            made = new PythonEngine(statementLimit);
        } catch (RuntimeException | Error e) {
            engine.completeExceptionally(e);
            warmedUp.complete(null);
            return;
        }
        engine.complete(made);
        try {
            made.newContext(new OutputCapture(4096, false), new OutputCapture(4096, false), null,
                    made.newFileSystem()).close(true);
            made.keepPreludeBytecode();
            log.info("Python runtime ready ({}; warm-up {} ms)", made.implementationName(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        } catch (RuntimeException e) {
            log.warn("Warming the Python runtime up failed; the first call pays for it", e);
        } finally {
            warmedUp.complete(null);
        }
    }

    long statementLimit() {
        return statementLimit;
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

    /** Done when the first context has been made and closed (or failed). */
    CompletableFuture<Void> warmedUp() {
        return warmedUp;
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
