package io.cococloud.runtime;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps memory that Python code holds across calls (module globals, caches) from filling the server's heap.
 * The {@link HeapGuard} stops one call that allocates too much; it cannot see a function that keeps a little of
 * each call. This guard listens to the collector instead: when the heap is still more than the limit full
 * <em>after</em> a collection, what remains is live, and the context that has allocated the most since it was
 * made (the most it can be holding) is discarded: idle (its next call starts afresh), or running while its call
 * itself allocates heavily (an eighth of the heap or more; the call ends with MemoryError). One at a time: the next
 * is chosen only after the last one has closed and a collection since has shown whether that was enough, so no
 * other tenant pays for memory that is already on its way out. A context that allocated less than a twentieth of
 * the heap cannot be what fills it and is never chosen.
 */
final class RetainedMemoryGuard implements NotificationListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetainedMemoryGuard.class);

    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private final double limit;
    private final Supplier<List<SandboxedContext>> contexts;
    private final ToLongFunction<SandboxedContext> currentCallAllocation;
    private final Consumer<SandboxedContext> discard;
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private volatile long usedAfterLastCollection;
    private final long smallestSuspect = maxHeap / 20;
    /** What a running call must have allocated itself to be a suspect. */
    private final long busySuspect = maxHeap / 8;
    /** The last context discarded, until it has closed and a collection has run after that. */
    private SandboxedContext lastDiscarded;
    private boolean collectedSinceClosed;
    private long discardedAt;
    /** A context whose close takes longer (its call ignores cancellation) no longer holds up the next choice. */
    private static final java.time.Duration STUCK_CLOSE = java.time.Duration.ofSeconds(10);

    /**
     * @param limit    share of the max heap that may stay in use after a collection
     * @param contexts every live context of every project
     * @param currentCallAllocation what the call a context is running has allocated so far; negative when idle
     * @param discard  how to get rid of one (close it if idle, stop its call if running)
     */
    RetainedMemoryGuard(double limit, Supplier<List<SandboxedContext>> contexts,
            ToLongFunction<SandboxedContext> currentCallAllocation, Consumer<SandboxedContext> discard) {
        this.limit = limit;
        this.contexts = contexts;
        this.currentCallAllocation = currentCallAllocation;
        this.discard = discard;
    }

    /** Starts listening to every collector of this JVM. */
    RetainedMemoryGuard start() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
                emitters.add(emitter);
            }
        }
        return this;
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                .filter(pool -> heapPools.contains(pool.getKey()))
                .mapToLong(pool -> pool.getValue().getUsed()).sum();
        usedAfterLastCollection = used;
        afterCollection(used);
    }

    /** Whether the heap was at or above the limit after the last collection: no project's pool should grow now. */
    boolean tight() {
        return usedAfterLastCollection >= limit * maxHeap;
    }

    /**
     * @param usedAfterCollection the heap in use after a collection, or in use now when the heap is nearly full
     * @return the context discarded, if the heap was too full
     */
    synchronized Optional<SandboxedContext> afterCollection(long usedAfterCollection) {
        if (lastDiscarded != null) {
            boolean stuck = System.nanoTime() - discardedAt > STUCK_CLOSE.toNanos();
            if (!lastDiscarded.closed() && !stuck) {
                return Optional.empty(); // its memory is not free yet
            }
            if (!collectedSinceClosed) {
                collectedSinceClosed = true; // this collection ran while (or after) it closed; judge by the next
                return Optional.empty();
            }
            lastDiscarded = null;
        }
        if (usedAfterCollection < limit * maxHeap) {
            return Optional.empty();
        }
        // A running call is a suspect only while its own call allocates heavily (a hoarder at work): after a young
        // collection the heap still counts old garbage, and a call that merely waits must not pay for it.
        Optional<SandboxedContext> heaviest = contexts.get().stream()
                .filter(context -> !context.broken && context.allocated() >= smallestSuspect)
                .filter(context -> {
                    long byItsCall = currentCallAllocation.applyAsLong(context);
                    return byItsCall < 0 || byItsCall >= busySuspect;
                })
                .max(Comparator.comparingLong(SandboxedContext::allocated));
        heaviest.ifPresent(context -> {
            lastDiscarded = context;
            discardedAt = System.nanoTime();
            collectedSinceClosed = false;
            log.warn("Heap {}% full (live after a collection, or nearly full): discarding the Python context that"
                    + " allocated the most"
                    + " ({} MB since it was made)", Math.round(100.0 * usedAfterCollection / maxHeap),
                    context.allocated() >> 20);
            discard.accept(context);
        });
        return heaviest;
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
        emitters.clear();
    }
}
