package io.cococloud.runtime;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Keeps one tenant's memory bomb from failing another tenant's request. The Python heap is the
 * server's heap (GraalPy CE has no per-context memory limit), so the guard samples how full the
 * heap is; when it passes the limit it stops the running call that has
 * allocated the most since it started (each call runs on its own worker thread, whose
 * allocation the JVM counts), which is the bomb in all but contrived cases.
 *
 * <p>The heap in use now counts old garbage that G1 has not marked yet (it marks when its threshold says so, which
 * may be long after): a call that makes much garbage (a deep recursion, a framework's import) fills it as fast as
 * a bomb does. So over the limit a call is stopped at once only when the last marking found the live heap over the
 * limit too ({@link RetainedMemoryGuard#tight()}); otherwise only when the heap is nearly full
 * ({@link #LIMIT_IN_DOUBT}), by which time G1 has marked and taken the garbage or the heap is not garbage.
 */
final class HeapGuard {

    /** A call that may be stopped: its thread, its allocation at start, and how to stop it. */
    interface RunningCall {
        long threadId();

        long allocatedAtStart();

        /** Stops the call; false when it has ended (or was stopped already). */
        boolean stopForMemory();

        /** Whether it is loading a version (a framework's import): it then makes much garbage, legitimately. */
        default boolean loading() {
            return false;
        }
    }

    /**
     * How full the heap must be before a call is stopped when what fills it may be garbage: the live heap was not
     * last judged over the limit, or the call is loading a version (an import allocates far more than it keeps:
     * Django's, FastAPI's, over a quarter of a 3 GB heap).
     */
    static final double LIMIT_IN_DOUBT = 0.8;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final long maxHeap;
    private final double limit;
    private final LongSupplier used;
    private final BooleanSupplier liveOverLimit;

    /**
     * @param limit         fraction of the maximum heap above which the biggest allocator is stopped
     * @param liveOverLimit whether the last marking (or full collection) found the live heap over the limit
     */
    HeapGuard(double limit, BooleanSupplier liveOverLimit) {
        this(limit, liveOverLimit, Runtime.getRuntime().maxMemory(), HeapGuard::used);
    }

    HeapGuard(double limit, BooleanSupplier liveOverLimit, long maxHeap, LongSupplier used) {
        this.limit = limit;
        this.liveOverLimit = liveOverLimit;
        this.maxHeap = maxHeap;
        this.used = used;
    }

    long allocatedByCurrentThread() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    /**
     * Called periodically: stops the biggest allocator when the heap is too full and that call alone has
     * allocated a quarter of the heap or more since it started (else the heap is full of others' garbage, which
     * the next collection takes, and no call is to blame).
     *
     * @return the call stopped, if one was (not one that ended before it could be)
     */
    Optional<RunningCall> check(Collection<? extends RunningCall> running) {
        long inUse = used.getAsLong();
        if (running.isEmpty() || inUse < limit * maxHeap) {
            return Optional.empty();
        }
        boolean nearlyFull = inUse >= Math.max(limit, LIMIT_IN_DOUBT) * maxHeap;
        boolean liveIsOver = liveOverLimit.getAsBoolean();
        Optional<? extends RunningCall> biggest = running.stream()
                .filter(call -> nearlyFull || liveIsOver && !call.loading())
                .max(Comparator.comparingLong(this::allocatedSinceStart))
                .filter(call -> allocatedSinceStart(call) >= maxHeap / 4);
        return biggest.filter(RunningCall::stopForMemory).map(call -> call);
    }

    long allocatedSinceStart(RunningCall call) {
        return threads.getThreadAllocatedBytes(call.threadId()) - call.allocatedAtStart();
    }

    /**
     * The heap in use now, eden included. Not the old generation's pool, which the guard first read: between two
     * collections a bomb's arrays fill eden, which that pool does not count (only a humongous array, half a region
     * or more, goes straight to old regions), so the pool showed the heap half empty while it filled. (G1 keeps its
     * pools' figures current between collections: it recomputes them as each eden region fills and at each
     * humongous allocation.)
     */
    static long used() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
