package io.cococloud.runtime;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Keeps one tenant's memory bomb from failing another tenant's request. The Python heap is the
 * server's heap (GraalPy CE has no per-context memory limit), so the guard samples how full the
 * heap is; when it passes the limit it stops the running call that has
 * allocated the most since it started (each call runs on its own worker thread, whose
 * allocation the JVM counts), which is the bomb in all but contrived cases.
 */
final class HeapGuard {

    /** A call that may be stopped: its thread, its allocation at start, and how to stop it. */
    interface RunningCall {
        long threadId();

        long allocatedAtStart();

        void stopForMemory();

        /** Whether it is loading a version (a framework's import): it then makes much garbage, legitimately. */
        default boolean loading() {
            return false;
        }
    }

    /**
     * How full the heap must be before a loading version is stopped: an import allocates far more than it keeps
     * (Django's, FastAPI's: over a quarter of a 3 GB heap), and a young collection would take it.
     */
    static final double LOADING_LIMIT = 0.8;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private final double limit;

    /** @param limit fraction of the maximum heap above which the biggest allocator is stopped */
    HeapGuard(double limit) {
        this.limit = limit;
    }

    long allocatedByCurrentThread() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    /**
     * Called periodically: stops the biggest allocator when the heap is too full and that call alone has
     * allocated a quarter of the heap or more since it started (else the heap is full of others' garbage, which
     * the next collection takes, and no call is to blame).
     */
    Optional<RunningCall> check(Collection<? extends RunningCall> running) {
        long used = used();
        if (running.isEmpty() || used < limit * maxHeap) {
            return Optional.empty();
        }
        Optional<? extends RunningCall> biggest = running.stream()
                .filter(call -> !call.loading() || used >= Math.max(limit, LOADING_LIMIT) * maxHeap)
                .max(Comparator.comparingLong(this::allocatedSinceStart))
                .filter(call -> allocatedSinceStart(call) >= maxHeap / 4);
        biggest.ifPresent(RunningCall::stopForMemory);
        return biggest.map(call -> call);
    }

    long allocatedSinceStart(RunningCall call) {
        return threads.getThreadAllocatedBytes(call.threadId()) - call.allocatedAtStart();
    }

    /**
     * The heap in use now. Not the old generation's pool: G1 updates its pools' figures at collections only,
     * and a bomb of large arrays (allocated straight into old regions) filled the heap between two of them
     * while the pool still showed it half empty.
     */
    static long used() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
