package io.cococloud.memory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives a quiet server's heap back: once the JVM has run no collection for {@code coco.memory.compact-after-quiet}
 * (nothing allocates: no calls, no requests), one full collection compacts the heap, and G1 then shrinks it to what
 * is live plus the least free share it keeps, in whole regions. Then nothing more until the server has allocated at
 * least as much as that compaction left, and gone quiet again: one compaction per quiet spell, however long it lasts.
 *
 * <p>Why a full collection: nothing else gives an idle G1 heap back. Young collections shrink nothing, and a
 * marking's remark shrinks only to what the old generation still holds, garbage included, until mixed collections
 * that an idle server does not run. G1's own periodic collection ({@code G1PeriodicGCInterval}) ran such a young
 * collection every interval for as long as the server was idle, and left the heap where it was (bench/README.md,
 * "Memory (issue 15)", seventh session).
 *
 * <p>Why not again after any collection: a compaction leaves little free, so the next collection may come soon,
 * whoever allocates; counted as activity, such a collection made an idle server compact every quiet period forever
 * (a ~110 ms pause every 11 s in the GC log, when compactions left no free region at all). What a later compaction
 * can give back is bounded by what was allocated since, so that is what re-arms it: an idle server's background work
 * takes many minutes to allocate its live heap again, a working one seconds.
 *
 * <p>Who pays: the collection stops every thread for ~80-130 ms at this server's idle heap (~65 MB live), at a
 * moment when nothing has allocated for the whole quiet period. A busy server, whose young collections come every few
 * seconds, never compacts. Every collector's notification counts, so in a JVM with several of these (the tests'
 * Spring contexts) one compaction ends the spell for all of them.
 */
@Component
class IdleHeapCompactor implements NotificationListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(IdleHeapCompactor.class);

    /** The "gcAction" of a full collection's notification (any collector). */
    private static final String FULL_COLLECTION = "end of major GC";

    private final long quietNanos;
    private final LongSupplier nanoTime;
    private final Runnable compact;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    /** The heap's memory pools, by name: a collection's usage maps name the non-heap ones too. */
    private Set<String> heapPools = Set.of();
    /** When the last collection that was not a full one ended (the start counts as one: it allocated). */
    private volatile long lastActivity;
    /** Whether the heap is as compact as it will get until the server allocates enough again. */
    private volatile boolean compactSinceActivity;
    /** The heap in use after the last full collection: what a compaction left. */
    private long compacted;
    /** The heap in use after the last collection of any kind. */
    private long usedAfterLast;
    /** Bytes allocated since the last full collection, as the collections since saw them. */
    private long allocatedSinceCompaction;

    @Autowired
    IdleHeapCompactor(@Value("${coco.memory.compact-after-quiet:10s}") Duration quietFor) {
        this(quietFor, System::nanoTime, IdleHeapCompactor::compactTightly);
        if (!quietFor.isZero()) {
            listen();
        }
    }

    /**
     * @param quietFor how long without a collection makes a quiet spell; zero never compacts
     * @param nanoTime the clock
     * @param compact  how to compact ({@link #compactTightly()} in the server)
     */
    IdleHeapCompactor(Duration quietFor, LongSupplier nanoTime, Runnable compact) {
        if (quietFor.isNegative()) { // would compact after every collection
            throw new IllegalArgumentException(
                    "coco.memory.compact-after-quiet must be 0s (never) or more: " + quietFor);
        }
        this.quietNanos = quietFor.toNanos();
        this.nanoTime = nanoTime;
        this.compact = compact;
        this.lastActivity = nanoTime.getAsLong();
    }

    /**
     * One full collection that shrinks the heap to what is live plus the least free share G1 is told to keep
     * ({@code MinHeapFreeRatio}; jvm.options keeps 10-30 % free, room a working server allocates into): the maximum
     * ratio, a manageable flag, is lowered to the minimum for this collection only and then put back.
     *
     * <p>Not to nothing free: a heap without a free region collects at the very next allocation, right after the
     * compaction's own pause, and G1 then counted its recent pauses as a heap too small and doubled it (72 -> 144 MB,
     * 100-104 MB after the marking that followed, in 2 of 3 idle starts; bench/README.md, "Memory (issue 15)").
     * Synchronized: two compactors in one JVM must not take each other's lowered ratio for the one to restore.
     */
    static synchronized void compactTightly() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String min = vm.getVMOption("MinHeapFreeRatio").getValue();
        String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
        try {
            vm.setVMOption("MaxHeapFreeRatio", min);
            System.gc();
        } finally {
            vm.setVMOption("MaxHeapFreeRatio", max);
        }
    }

    /** Starts hearing of every collection of this JVM. */
    void listen() {
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName).collect(Collectors.toUnmodifiableSet());
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** Looks every second whether this spell has lasted long enough and is not compacted yet. */
    @Scheduled(fixedDelay = 1, timeUnit = TimeUnit.SECONDS)
    void compactIfQuiet() {
        if (quietNanos == 0 || compactSinceActivity || nanoTime.getAsLong() - lastActivity < quietNanos) {
            return;
        }
        // Set before the collection: its notification arrives later, on another thread, and says the same.
        compactSinceActivity = true;
        long started = nanoTime.getAsLong();
        compact.run();
        if (log.isDebugEnabled()) { // bench/vs-parse.sh reads it: when a reading of idle RSS came after the compaction
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            log.debug("Compacted the quiet heap in {} ms: {} MB in use, {} MB committed",
                    (nanoTime.getAsLong() - started) / 1_000_000, heap.getUsed() >> 20, heap.getCommitted() >> 20);
        }
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                    .from((CompositeData) notification.getUserData());
            GcInfo gc = info.getGcInfo();
            collectionEnded(FULL_COLLECTION.equals(info.getGcAction()), heapUsed(gc.getMemoryUsageBeforeGc()),
                    heapUsed(gc.getMemoryUsageAfterGc()));
        }
    }

    private long heapUsed(Map<String, MemoryUsage> pools) {
        return pools.entrySet().stream().filter(pool -> heapPools.contains(pool.getKey()))
                .mapToLong(pool -> pool.getValue().getUsed()).sum();
    }

    /**
     * A collection ended, with the heap in use before and after it. A full one compacted the heap. Any other restarts
     * the quiet period, and counts what was allocated since the collection before it; once that adds up to what the
     * last compaction left, the next quiet spell is compacted too.
     */
    synchronized void collectionEnded(boolean full, long usedBefore, long usedAfter) {
        if (full) {
            compactSinceActivity = true;
            compacted = usedAfter;
            allocatedSinceCompaction = 0;
        } else {
            lastActivity = nanoTime.getAsLong();
            allocatedSinceCompaction += Math.max(0, usedBefore - usedAfterLast);
            if (allocatedSinceCompaction >= compacted) {
                compactSinceActivity = false;
            }
        }
        usedAfterLast = usedAfter;
    }

    /** Whether the heap is as compact as it will get until the server has allocated enough again. */
    boolean compactSinceActivity() {
        return compactSinceActivity;
    }

    @Override
    public void destroy() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException e) {
                // not listening there: nothing to remove
            }
        }
    }
}
