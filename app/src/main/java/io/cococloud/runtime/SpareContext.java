package io.cococloud.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One context made in advance and bound to no project: the next project that needs a new context (its first call
 * after a start, or after its contexts were closed as idle) takes it instead of waiting while one is made, and
 * another is then made in the background. It is handed out once, so it only ever serves one project, and no
 * function's code has run in it before.
 */
final class SpareContext implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpareContext.class);

    private final Supplier<SandboxedContext> make;
    private final Executor background;
    private final AtomicReference<SandboxedContext> ready = new AtomicReference<>();
    private final AtomicBoolean making = new AtomicBoolean();
    private final AtomicBoolean taken = new AtomicBoolean();
    private volatile boolean closed;

    /** @param make makes an unbound context; {@code background} runs it */
    SpareContext(Supplier<SandboxedContext> make, Executor background) {
        this.make = make;
        this.background = background;
    }

    /** Makes the spare in the background, unless there is one or it is being made. */
    void refill() {
        if (closed || ready.get() != null || !making.compareAndSet(false, true)) {
            return;
        }
        try {
            background.execute(this::make);
        } catch (RejectedExecutionException e) {
            making.set(false); // the runtime is stopping
        }
    }

    /** A context made elsewhere (the start's first) becomes the spare, unless there is one already. */
    void offer(SandboxedContext made) {
        if (!ready.compareAndSet(null, made)) {
            made.close();
        }
        if (closed) {
            close();
        }
    }

    private void make() {
        try {
            offer(make.get());
        } catch (RuntimeException e) {
            log.debug("Making a spare Python context failed; the next new context is made when needed", e);
        } finally {
            making.set(false);
        }
    }

    /**
     * The spare, if one is ready, else null (one is then made). A spare taken is replaced by {@link #replaceTaken},
     * once the work that took it has ended.
     */
    SandboxedContext take() {
        SandboxedContext spare = ready.getAndSet(null);
        if (spare != null) {
            taken.set(true);
        } else {
            refill();
        }
        return spare;
    }

    /**
     * Makes the next spare if the last one was taken: called when a call (or a pre-warming load) ends, as one made
     * at once would compete with the call that took the spare for the CPU (a restarted server's first function
     * response was 0.1-0.3 s later on 2 cores: bench/README.md, "Start-up and memory"). A volatile read otherwise.
     */
    void replaceTaken() {
        if (taken.get() && taken.compareAndSet(true, false)) {
            refill();
        }
    }

    @Override
    public void close() {
        closed = true;
        SandboxedContext spare = ready.getAndSet(null);
        if (spare != null) {
            spare.close();
        }
    }
}
