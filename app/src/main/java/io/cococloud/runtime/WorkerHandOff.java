package io.cococloud.runtime;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * How a call reaches a Python worker thread, and how its caller waits for the outcome, without waking parked
 * threads when the server is quiet.
 *
 * <p>A parked thread takes ~25 µs to run again on this machine kind (bench/README.md, "the hand-off without
 * wake-ups"), and a warm call crossed two such wake-ups: the worker's when the call was handed to it, then its
 * caller's when the outcome was ready — half of a hello call's latency at one connection. So, when the server runs
 * no other Python call and a core is free of other requests, a worker that has just finished a call quicker than
 * {@code spin} lingers that long, busy-waiting for the next call, and a caller whose function's last call was that
 * quick busy-waits that long for the outcome before it parks. Under load neither happens: a second running call, or
 * as many requests in flight as the node has cores, means the CPU is better spent on the calls themselves (at 16
 * connections the spins took a fifth of a 2-core server's CPU while every core had work: bench/README.md). Either
 * side gives up after {@code spin}, so an idle server spends at most that much CPU after its last call, and a
 * busy-waiting caller holds its virtual thread's carrier no longer than that (only one caller can be alone at a
 * time).
 *
 * <p>A call that ends and passes its project's slot to a queued call starts that call on its own worker, next
 * ({@link #executeNext}): the queued caller's thread is not woken to hand it over, nor a parked worker to take it.
 */
final class WorkerHandOff {

    /** In the slot while a worker lingers; a call handed to it replaces it. */
    private static final Object LINGERING = new Object();
    /** Functions whose last call ran within the spin: their callers busy-wait. Bounded, as functions come and go. */
    private static final int REMEMBERED_FUNCTIONS = 10_000;

    private final ExecutorService workers;
    private final long spinNanos;
    private final BooleanSupplier quiet;
    private final BooleanSupplier coreToSpare;
    /** null: no worker lingers; LINGERING: one does; a Runnable: handed to it, not yet taken. */
    private final AtomicReference<Object> slot = new AtomicReference<>();
    /** While a worker runs calls: whether the running one has ended, and the call it passed its slot on to. */
    private final ThreadLocal<Following> following = new ThreadLocal<>();
    private final Cache<UUID, Boolean> quickFunctions = Caffeine.newBuilder().maximumSize(REMEMBERED_FUNCTIONS)
            .build();

    /**
     * @param workers the worker threads' pool, which runs a call when no worker lingers
     * @param spin    how long either side busy-waits for the other; zero: never
     * @param quiet   whether no Python call is running (asked by a worker that has just finished its own)
     * @param coreToSpare whether a core has no other request to work on: a spin would not take it from anyone
     */
    WorkerHandOff(ExecutorService workers, Duration spin, BooleanSupplier quiet, BooleanSupplier coreToSpare) {
        this.workers = workers;
        this.spinNanos = spin.toNanos();
        this.quiet = quiet;
        this.coreToSpare = coreToSpare;
    }

    /**
     * Runs a call of {@code function} on a lingering worker, else on one of the pool (which may reject it when shut
     * down).
     */
    void execute(UUID function, Runnable call) {
        Runnable timed = timed(function, call);
        if (!slot.compareAndSet(LINGERING, timed)) {
            workers.execute(() -> runThenLinger(timed));
        }
    }

    /**
     * Runs a call that the call running on this thread has just passed its project's slot to: on this worker once
     * the running call has returned (its caller told), when this is a worker whose call has {@linkplain #ending
     * ended its work}; else as {@link #execute}. A slot freed by a worker in the middle of its call (a function
     * calling another whose start failed) goes to the pool: the call it admits must not wait for the rest of that one.
     */
    void executeNext(UUID function, Runnable call) {
        Following next = following.get();
        if (next != null && next.ending && next.call == null) {
            next.call = timed(function, call);
        } else {
            execute(function, call);
        }
    }

    /** The call running on this worker has done its work: a slot it frees from now on passes to a call run next. */
    void ending() {
        Following next = following.get();
        if (next != null) {
            next.ending = true;
        }
    }

    private static final class Following {
        boolean ending;
        Runnable call;
    }

    private Runnable timed(UUID function, Runnable call) {
        return () -> {
            long started = System.nanoTime();
            call.run();
            ran(function, System.nanoTime() - started);
        };
    }

    /** What a function's call took: a quick one makes its next caller busy-wait. */
    void ran(UUID function, long nanos) {
        if (nanos <= spinNanos) {
            if (quickFunctions.getIfPresent(function) == null) {
                quickFunctions.put(function, Boolean.TRUE);
            }
        } else if (quickFunctions.getIfPresent(function) != null) {
            quickFunctions.invalidate(function);
        }
    }

    /**
     * Busy-waits up to the spin for the outcome of {@code function}'s call, when the function ran within the spin
     * last time, {@code alone} (the caller's call is the only one running) and a core is to spare; the caller then
     * waits as usual, and does not park if the outcome came.
     */
    void awaitBriefly(Future<?> outcome, UUID function, boolean alone) {
        if (!alone || quickFunctions.getIfPresent(function) == null || !coreToSpare.getAsBoolean()) {
            return;
        }
        long until = System.nanoTime() + spinNanos;
        while (!outcome.isDone() && System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

    /** Whether a worker lingers now. */
    boolean lingering() {
        return slot.get() == LINGERING;
    }

    private void runThenLinger(Runnable first) {
        Following next = new Following();
        following.set(next);
        try {
            Runnable call = first;
            while (call != null) {
                long started = System.nanoTime();
                next.ending = false;
                call.run();
                if (next.call != null) {
                    call = next.call;
                    next.call = null;
                } else {
                    call = System.nanoTime() - started <= spinNanos ? nextWhileLingering() : null;
                }
            }
        } finally {
            following.remove();
            Runnable passedOn = next.call;
            if (passedOn != null) { // the call that passed it on threw: another worker runs it
                workers.execute(() -> runThenLinger(passedOn));
            }
        }
    }

    /**
     * The call handed over while this worker lingered, or null: it goes back to the pool. Only after a quick call:
     * after a longer one, a wake-up is a small part of the next, and the spin would take a core from what the calls
     * themselves need (their database queries, their callers' threads).
     */
    private Runnable nextWhileLingering() {
        if (spinNanos == 0 || workers.isShutdown() || !quiet.getAsBoolean() || !coreToSpare.getAsBoolean()
                || !slot.compareAndSet(null, LINGERING)) {
            return null; // busy, or another worker lingers already
        }
        long until = System.nanoTime() + spinNanos;
        while (slot.get() == LINGERING && System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
        if (slot.compareAndSet(LINGERING, null)) {
            return null; // nobody came
        }
        return (Runnable) slot.getAndSet(null); // only this worker takes what was handed to it
    }
}
