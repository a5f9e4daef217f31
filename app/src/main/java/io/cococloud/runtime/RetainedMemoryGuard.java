package io.cococloud.runtime;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
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
 * after a <em>full</em> collection, what remains is live, and the context that has allocated the most since it
 * was made (the most it can be holding) is discarded: idle (its next call starts afresh), or running while its
 * call itself allocates heavily (an eighth of the heap or more; the call ends with MemoryError). One at a time:
 * the next is chosen only after the last one has closed and a collection since has shown whether that was enough,
 * so no other tenant pays for memory that is already on its way out. A context that allocated less than a
 * twentieth of the heap cannot be what fills it and is never chosen.
 *
 * <p>What a young (or mixed) collection leaves is not all live: G1 finds old garbage only by a concurrent marking,
 * which it starts when the old generation passes its threshold, and until then old garbage counts as in use. A
 * young collection's reading under the limit is good news (live is less still); one over the limit only makes the
 * guard ask for a full collection, whose reading decides. Full collections pause every tenant, so they are asked
 * for sparingly: not while the last discarded context is still closing, and not again soon after one found the
 * heap fine (a few seconds) or found it full with no context to blame (a minute).
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
    private final long smallestSuspect = maxHeap / 20;
    /** What a running call must have allocated itself to be a suspect. */
    private final long busySuspect = maxHeap / 8;
    /** The last context discarded, until it has closed and a collection has run after that. */
    private SandboxedContext lastDiscarded;
    private boolean collectedSinceClosed;
    private long discardedAt;
    /** A context whose close takes longer (its call ignores cancellation) no longer holds up the next choice. */
    private static final Duration STUCK_CLOSE = Duration.ofSeconds(10);
    /** After a full collection found the heap under the limit: old garbage takes a while to pile up again. */
    static final Duration AFTER_FINE = Duration.ofSeconds(5);
    /** After one found it over the limit with no context to blame: asking again soon would find the same. */
    static final Duration AFTER_NOTHING_TO_BLAME = Duration.ofMinutes(1);
    /** The "gcAction" of a full collection's notification: the only one that leaves nothing but live objects. */
    private static final String FULL_COLLECTION = "end of major GC";
    private final Runnable collectFully;
    private final LongSupplier clock;
    /** The time ({@link #clock}) before which no full collection is asked for. */
    private long nextFullCollection;
    private boolean tight;

    /**
     * @param limit    share of the max heap that may stay in use after a collection
     * @param contexts every live context of every project
     * @param currentCallAllocation what the call a context is running has allocated so far; negative when idle
     * @param discard  how to get rid of one (close it if idle, stop its call if running)
     */
    RetainedMemoryGuard(double limit, Supplier<List<SandboxedContext>> contexts,
            ToLongFunction<SandboxedContext> currentCallAllocation, Consumer<SandboxedContext> discard) {
        this(limit, contexts, currentCallAllocation, discard, RetainedMemoryGuard::collectFullyInBackground,
                System::nanoTime);
    }

    /**
     * @param collectFully how to ask for a full collection (it must not run on the caller's thread: that is the
     *                     collector's notification thread)
     * @param clock        nanoseconds, for the spacing of full collections
     */
    RetainedMemoryGuard(double limit, Supplier<List<SandboxedContext>> contexts,
            ToLongFunction<SandboxedContext> currentCallAllocation, Consumer<SandboxedContext> discard,
            Runnable collectFully, LongSupplier clock) {
        this.limit = limit;
        this.contexts = contexts;
        this.currentCallAllocation = currentCallAllocation;
        this.discard = discard;
        this.collectFully = collectFully;
        this.clock = clock;
        this.nextFullCollection = clock.getAsLong();
    }

    /** G1's System.gc() is a full, stop-the-world collection (jvm.options does not make it concurrent). */
    private static void collectFullyInBackground() {
        Thread.ofPlatform().daemon().name("python-heap-full-collection").start(System::gc);
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
        afterCollection(used, FULL_COLLECTION.equals(info.getGcAction()));
    }

    /** Whether the heap was at or above the limit after the last full collection: no project's pool should grow now. */
    synchronized boolean tight() {
        return tight;
    }

    /**
     * @param usedAfterCollection the heap in use after a collection, or in use now when the heap is nearly full
     * @param allLive             whether that is all live: after a full collection, or so close to the wall that
     *                            waiting for one is no option
     * @return the context discarded, if the heap was too full
     */
    synchronized Optional<SandboxedContext> afterCollection(long usedAfterCollection, boolean allLive) {
        boolean over = usedAfterCollection >= limit * maxHeap;
        if (over && !allLive) {
            if (clock.getAsLong() - nextFullCollection >= 0 && !waitingForAClose()) {
                nextFullCollection = clock.getAsLong() + AFTER_FINE.toNanos(); // one at a time
                collectedSinceClosed = true; // the last one discarded has closed: this collection shows what it freed
                collectFully.run();
            }
            return Optional.empty(); // perhaps old garbage: the full collection's reading decides
        }
        tight = over;
        Optional<SandboxedContext> discarded = judge(usedAfterCollection);
        if (allLive && over && discarded.isEmpty() && lastDiscarded == null) {
            nextFullCollection = clock.getAsLong() + AFTER_NOTHING_TO_BLAME.toNanos();
        } else if (allLive && !over) {
            nextFullCollection = clock.getAsLong() + AFTER_FINE.toNanos();
        } else if (discarded.isPresent()) {
            nextFullCollection = clock.getAsLong(); // the next reading after it has closed may ask again
        }
        return discarded;
    }

    /** Whether the last context discarded is still closing: a collection now cannot show what that freed. */
    private boolean waitingForAClose() {
        return lastDiscarded != null && !lastDiscarded.closed()
                && clock.getAsLong() - discardedAt <= STUCK_CLOSE.toNanos();
    }

    private Optional<SandboxedContext> judge(long usedAfterCollection) {
        if (lastDiscarded != null) {
            if (waitingForAClose()) {
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
        // A running call is a suspect only while its own call allocates heavily (a hoarder at work): a call that
        // merely waits must not pay for what its context once allocated.
        Optional<SandboxedContext> heaviest = contexts.get().stream()
                .filter(context -> !context.broken && context.allocated() >= smallestSuspect)
                .filter(context -> {
                    long byItsCall = currentCallAllocation.applyAsLong(context);
                    return byItsCall < 0 || byItsCall >= busySuspect;
                })
                .max(Comparator.comparingLong(SandboxedContext::allocated));
        heaviest.ifPresent(context -> {
            lastDiscarded = context;
            discardedAt = clock.getAsLong();
            collectedSinceClosed = false;
            log.warn("Heap {}% full (live after a full collection, or nearly full): discarding the Python context"
                    + " that allocated the most ({} MB since it was made)",
                    Math.round(100.0 * usedAfterCollection / maxHeap), context.allocated() >> 20);
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
