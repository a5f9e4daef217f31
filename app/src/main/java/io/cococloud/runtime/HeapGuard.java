package io.cococloud.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Keeps one tenant's memory bomb from failing another tenant's request. The Python heap is the
 * server's heap (GraalPy CE has no per-context memory limit), so the guard samples how full the
 * long-lived part of the heap is; when it passes the limit it stops the running call that has
 * allocated the most since it started (each call runs on its own worker thread, whose
 * allocation the JVM counts), which is the bomb in all but contrived cases.
 */
final class HeapGuard {

    /** A call that may be stopped: its thread, its allocation at start, and how to stop it. */
    interface RunningCall {
        long threadId();

        long allocatedAtStart();

        void stopForMemory();
    }

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final List<MemoryPoolMXBean> longLivedPools;
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private final double limit;

    /** @param limit fraction of the maximum heap above which the biggest allocator is stopped */
    HeapGuard(double limit) {
        this.limit = limit;
        this.longLivedPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .filter(pool -> pool.getName().contains("Old") || pool.getName().contains("Tenured"))
                .toList();
    }

    long allocatedByCurrentThread() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    /** Called periodically: stops the biggest allocator when the heap is too full. */
    Optional<RunningCall> check(Collection<? extends RunningCall> running) {
        if (running.isEmpty() || used() < limit * maxHeap) {
            return Optional.empty();
        }
        Optional<? extends RunningCall> biggest = running.stream()
                .max(Comparator.comparingLong(call -> threads.getThreadAllocatedBytes(call.threadId())
                        - call.allocatedAtStart()));
        biggest.ifPresent(RunningCall::stopForMemory);
        return biggest.map(call -> call);
    }

    private long used() {
        if (longLivedPools.isEmpty()) {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
        return longLivedPools.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
    }
}
