package io.cococloud.runtime;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
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
 * each call. This guard listens to the collector instead: when what stays live is more than the limit, the context
 * that has allocated the most since it was made (the most it can be holding) is discarded: idle (its next call
 * starts afresh), or running while its call itself allocates heavily (an eighth of the heap or more; a 64th when the
 * heap is nearly full; the call ends with MemoryError). After a discard, until the heap has shown that context's
 * memory gone, each context weighs only what it allocated since the discard, so no other tenant pays for memory that
 * is already on its way out. A context that allocated less than a twentieth of the heap (since it was made; an
 * eighth since the last discard, while its memory may still be there, and a 64th once the heap is at the wall)
 * cannot be what fills it and is never chosen.
 *
 * <p>What stays live: a young collection leaves old garbage in place until a concurrent marking has found it and
 * the mixed collections after it have taken it. So a young collection's reading under the limit is good news (live
 * is less still), but one over it is not acted on at once: the lowest reading of the collections after G1's next
 * marking, once it has had its mixed collections, decides. A full collection's reading (G1's last resort) decides at
 * once. (The guard does not ask for a marking: System.gc() would be a full collection, which pauses every tenant.)
 */
final class RetainedMemoryGuard implements NotificationListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetainedMemoryGuard.class);

    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private final double limit;
    private final Supplier<List<SandboxedContext>> contexts;
    private final ToLongFunction<SandboxedContext> currentCallAllocation;
    private final Predicate<SandboxedContext> discard;
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final long smallestSuspect = maxHeap / 20;
    /** What a running call must have allocated itself to be a suspect. */
    private final long busySuspect = maxHeap / 8;
    /**
     * What a running call must have allocated itself to be a suspect when the heap is nearly full: it is allocating
     * now, not waiting. Lower than {@link #busySuspect} because the room left is small: a hoarder keeping a tenth of
     * the heap a call in 1 MB arrays (each takes two 1 MB regions) fills a fifth of it, so a heap at 80 % after one
     * call is full during the next, with no idle moment for the guard to discard it in.
     */
    private final long allocatingSuspect = maxHeap / 64;
    /**
     * What each context had allocated when the guard discarded the last one, until the heap has shown that one's
     * memory gone; null otherwise. Shown gone, once it has closed: the heap read under {@link #NEARLY_FULL}, a
     * collection begun since that was full or left it under that share (a hoard of large arrays goes at the first
     * young collection when nothing old points at it, one of small objects waits for a marking), or a marking begun
     * since and the collections after it ({@link #collectionsSinceMarkedAfterRelease}). Until then a reading nearly
     * full may be that memory, which is nobody's now, so each context weighs only what it allocated since, and is a
     * suspect only once that is an eighth of the heap (a 64th {@linkplain #AT_THE_WALL at the wall}): a bystander
     * is not blamed for what it allocated before, nor a call for the garbage it finds short of the wall, and a
     * hoarder's fresh context is found while the last one closes and before any collection. (Waiting for the close
     * and a collection instead let one fill the heap: its calls, a tenth of the heap each in large arrays, make no
     * young collection, and the JVM exited with OutOfMemoryError in one CI run of six of MemoryIsolationTest. A
     * twentieth, as otherwise, stopped its fresh context's first call at 95 % of a heap still full of the old
     * hoard: short of {@link #AT_THE_WALL} that is still not done.)
     */
    private Map<SandboxedContext, Long> allocatedAtDiscard;
    /** Share of the heap in use at which the guard acts without waiting for a collection ({@link #nearlyFull}). */
    static final double NEARLY_FULL = 0.85;
    /**
     * Share of the heap held outside the young generation (old and large objects) from which, even while the last
     * discard's memory may still be there, a context that allocated a 64th of the heap since that discard is a
     * suspect, not an eighth. Past it G1 has used up the tenth it keeps free for its own copying
     * ({@code G1ReservePercent}), and no young collection makes room: what the last discard held goes at the end of
     * a marking begun after it, or at a full collection, and only once nothing reaches it. A call that fills the rest
     * first leaves G1 that full collection, a pause for every tenant, and when the old hoard was still reachable (in
     * one CI run: a hoarder's fresh context's call, keeping a tenth of the heap in 1 MB arrays, fills two tenths in
     * regions, so never allocated an eighth) the JVM exited with OutOfMemoryError. The context that allocated the
     * most since the discard goes instead. Young objects do not count: the young generation fills and empties all
     * the time (G1 keeps it at 5 % of the heap at least), and a bystander's call making garbage on a heap whose old
     * part is full of the discarded hoard must not be taken for the hoarder.
     */
    static final double AT_THE_WALL = 0.90;
    /**
     * The last context discarded, while it closes; never kept once closed: a closed context still reaches its module
     * globals (through the functions it loaded), so holding it would keep alive the very memory it was discarded for.
     */
    private SandboxedContext closing;
    /**
     * Each collector's count of collections when the guard let go of the last discarded context, for as long as
     * contexts weigh what they allocated since that discard; null otherwise. A collection numbered above its
     * collector's count began after (no collection is under way while Java code runs, and the counts and numbers are
     * the collectors' own), whenever its notification comes; one the guard hears of later may have run while the
     * context was still held.
     */
    private Map<String, Long> countsAtRelease;
    /**
     * Collections since a marking begun after the guard let go of the last discarded context ended, or -1. That
     * marking found the context's memory dead (G1 frees its large arrays at the marking's end, and
     * {@link #MIXED_COLLECTIONS} collections after it the rest), so what the heap holds after them is others', and
     * each context weighs again what it allocated since it was made. Otherwise a hoard kept since before the discard
     * (in a context left idle, perhaps another project's) went unseen for as long as the heap read nearly full: only
     * a full collection, which every tenant waits for, ended that.
     */
    private int collectionsSinceMarkedAfterRelease = -1;
    private final Supplier<Map<String, Long>> collectionCounts;
    /**
     * Collections after a marking by which G1 has taken the garbage it found: its mixed collections
     * ({@code G1MixedGCCountTarget}, 8 by default) and the one that prepares them.
     */
    static final int MIXED_COLLECTIONS = 10;
    /** The "gcAction" of a full collection's notification: the only one that leaves nothing but live objects. */
    private static final String FULL_COLLECTION = "end of major GC";
    /** The "gcAction" of a marking's remark and cleanup pauses (their figures cover the old generation only). */
    private static final String MARKING_PAUSE = "end of concurrent GC pause";
    /** Collections since a marking ended while a reading over the limit waits to be judged, or -1. */
    private int collectionsSinceMarking = -1;
    private long lowestSinceMarking;
    /**
     * How long a verdict of "tight" holds. G1's next marking may be far off, and until then the young collections'
     * readings stay over the limit with old garbage, so a verdict kept until then could keep every
     * project's pool from growing for minutes while nothing showed memory short. If it is short, the growth this
     * allows makes G1 mark, and the verdict comes back.
     */
    static final Duration TIGHT_FOR = Duration.ofSeconds(5);
    private final LongSupplier nanoTime;
    /** What the young generation holds now (JDK 25's G1 keeps its pools' figures current between collections). */
    private final LongSupplier youngInUse;
    private static final List<MemoryPoolMXBean> YOUNG_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .filter(pool -> pool.getName().contains("Eden") || pool.getName().contains("Survivor")).toList();
    private volatile boolean tight;
    private volatile long judgedAt;

    /**
     * @param limit    share of the max heap that may stay in use after a collection
     * @param contexts every live context of every project
     * @param currentCallAllocation what the call a context is running has allocated so far; negative when idle
     * @param discard  how to get rid of one (close it if idle, stop its call if running); false when it could do
     *                 neither (lent to a call that has not started yet, or has just ended): the next reading judges
     *                 again
     */
    RetainedMemoryGuard(double limit, Supplier<List<SandboxedContext>> contexts,
            ToLongFunction<SandboxedContext> currentCallAllocation, Predicate<SandboxedContext> discard) {
        this(limit, contexts, currentCallAllocation, discard, System::nanoTime,
                RetainedMemoryGuard::collectionCounts, RetainedMemoryGuard::youngInUse);
    }

    /**
     * @param collectionCounts each collector's collections so far, by its name
     * @param youngInUse       what the young generation holds now
     */
    RetainedMemoryGuard(double limit, Supplier<List<SandboxedContext>> contexts,
            ToLongFunction<SandboxedContext> currentCallAllocation, Predicate<SandboxedContext> discard,
            LongSupplier nanoTime, Supplier<Map<String, Long>> collectionCounts, LongSupplier youngInUse) {
        this.nanoTime = nanoTime;
        this.youngInUse = youngInUse;
        this.collectionCounts = collectionCounts;
        this.limit = limit;
        this.contexts = contexts;
        this.currentCallAllocation = currentCallAllocation;
        this.discard = discard;
    }

    private static long youngInUse() {
        return YOUNG_POOLS.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
    }

    private static Map<String, Long> collectionCounts() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().collect(
                Collectors.toMap(GarbageCollectorMXBean::getName, GarbageCollectorMXBean::getCollectionCount));
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
        if (MARKING_PAUSE.equals(info.getGcAction())) { // its remark or cleanup: the collections from now on
            markingEnded(info.getGcName(), info.getGcInfo().getId()); // take what it found
            return;
        }
        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                .filter(pool -> heapPools.contains(pool.getKey()))
                .mapToLong(pool -> pool.getValue().getUsed()).sum();
        afterCollection(used, FULL_COLLECTION.equals(info.getGcAction()), info.getGcName(), info.getGcInfo().getId());
    }

    /**
     * Whether what stays live was at or above the limit when last judged, within {@link #TIGHT_FOR}: no project's
     * pool should grow now.
     */
    boolean tight() {
        return tight && nanoTime.getAsLong() - judgedAt < TIGHT_FOR.toNanos();
    }

    /**
     * G1 has marked: a reading over the limit can be judged once the collections after it have run.
     *
     * @param collector the name of the collector whose pause (a remark or a cleanup) this was
     * @param number    the pause's number, counted by that collector
     */
    synchronized void markingEnded(String collector, long number) {
        if (collectionsSinceMarking < 0) { // a later marking does not restart the count: G1 may mark often
            collectionsSinceMarking = 0;
            lowestSinceMarking = Long.MAX_VALUE;
        }
        forgetClosed(); // its marking may have begun before: the collections after it tell
        // Past the remark and cleanup of a marking that may have begun before the release, a pause is one begun after
        if (countsAtRelease != null && collectionsSinceMarkedAfterRelease < 0
                && number - 2 > countsAtRelease.getOrDefault(collector, Long.MAX_VALUE)) {
            collectionsSinceMarkedAfterRelease = 0;
        }
    }

    /**
     * Called every few milliseconds with the heap in use now: memory kept in large arrays goes straight to old
     * regions, so few collections report it before the heap is full. This close to the wall, what is in use is taken
     * as live.
     *
     * @return the context discarded, if the heap was nearly full
     */
    synchronized Optional<SandboxedContext> nearlyFull(long inUse) {
        forgetClosed(); // a stopped call's context closes on another thread: let go of it as soon as it has
        if (inUse < NEARLY_FULL * maxHeap) {
            if (closing == null) {
                weighSinceMade(); // whatever the last discard held is gone, or leaves room
            }
            return Optional.empty();
        }
        collectionsSinceMarking = -1; // judged
        judgedAt = nanoTime.getAsLong();
        tight = inUse >= limit * maxHeap;
        return judge(inUse, allocatingSuspect, inUse - youngInUse.getAsLong() >= AT_THE_WALL * maxHeap);
    }

    /**
     * @param usedAfterCollection the heap in use after a collection
     * @param allLive             whether that is all live: after a full collection
     * @param collector           the collector's name
     * @param number              the collection's number, counted by its collector
     * @return the context discarded, if the heap was too full
     */
    synchronized Optional<SandboxedContext> afterCollection(long usedAfterCollection, boolean allLive,
            String collector, long number) {
        forgetClosed();
        if (collectionsSinceMarkedAfterRelease >= 0 && ++collectionsSinceMarkedAfterRelease >= MIXED_COLLECTIONS) {
            weighSinceMade(); // what the last discarded context held is gone: the rest is others'
        }
        boolean ranWithoutTheDiscarded = closing == null
                && (countsAtRelease == null || number > countsAtRelease.getOrDefault(collector, Long.MAX_VALUE));
        if (ranWithoutTheDiscarded && (allLive || usedAfterCollection < NEARLY_FULL * maxHeap)) {
            weighSinceMade(); // and took what it held, or left room
        }
        long live = usedAfterCollection;
        if (!allLive && usedAfterCollection >= limit * maxHeap) {
            if (collectionsSinceMarking < 0) {
                return Optional.empty(); // perhaps old garbage: G1's next marking will tell
            }
            lowestSinceMarking = Math.min(lowestSinceMarking, usedAfterCollection);
            if (++collectionsSinceMarking < MIXED_COLLECTIONS) {
                return Optional.empty(); // G1 is still taking what the marking found
            }
            live = lowestSinceMarking;
        }
        collectionsSinceMarking = -1; // judged
        judgedAt = nanoTime.getAsLong();
        tight = live >= limit * maxHeap;
        return judge(live, busySuspect, false);
    }

    /** Lets go of the last context discarded once it has closed; a collection begun since shows what it freed. */
    private void forgetClosed() {
        if (closing != null && closing.closed()) {
            closing = null;
            countsAtRelease = collectionCounts.get();
        }
    }

    /** The last discard's memory is gone: each context weighs again what it allocated since it was made. */
    private void weighSinceMade() {
        allocatedAtDiscard = null;
        countsAtRelease = null;
        collectionsSinceMarkedAfterRelease = -1;
    }

    /**
     * @param busy        what a running call must have allocated itself to be a suspect; its context then weighs what
     *                    it allocated before the call and in it
     * @param atTheWall   whether the heap outside the young generation is past {@link #AT_THE_WALL}
     */
    private Optional<SandboxedContext> judge(long usedAfterCollection, long busy, boolean atTheWall) {
        forgetClosed();
        if (usedAfterCollection < limit * maxHeap) {
            return Optional.empty();
        }
        Map<SandboxedContext, Long> before = allocatedAtDiscard == null ? Map.of() : allocatedAtDiscard;
        long smallest = allocatedAtDiscard == null ? smallestSuspect : atTheWall ? allocatingSuspect : busySuspect;
        // A running call is a suspect only while its own call allocates (a hoarder at work): a call that merely
        // waits must not pay for what its context once allocated.
        Optional<Suspect> heaviest = contexts.get().stream()
                .filter(context -> !context.broken)
                .<Suspect>mapMulti((context, suspects) -> {
                    long byItsCall = currentCallAllocation.applyAsLong(context);
                    if (byItsCall < 0 || byItsCall >= busy) {
                        long allocated = context.allocated() - before.getOrDefault(context, 0L);
                        suspects.accept(new Suspect(context, allocated + Math.max(0, byItsCall)));
                    }
                })
                .filter(suspect -> suspect.allocated() >= smallest)
                .max(Comparator.comparingLong(Suspect::allocated));
        if (heaviest.isEmpty() || !discard.test(heaviest.get().context())) {
            return Optional.empty(); // none, or one between a call and the pool: the next reading finds where it is
        }
        Suspect suspect = heaviest.get();
        log.warn("Heap {}% full (what stays live after a marking or a full collection, or nearly full): discarded the"
                + " Python context that allocated the most ({} MB since {})",
                Math.round(100.0 * usedAfterCollection / maxHeap), suspect.allocated() >> 20,
                allocatedAtDiscard == null ? "it was made" : "the last one was discarded");
        closing = suspect.context();
        countsAtRelease = null;
        collectionsSinceMarkedAfterRelease = -1;
        allocatedAtDiscard = new WeakHashMap<>(); // a context that goes meanwhile is not kept for this
        contexts.get().forEach(context -> allocatedAtDiscard.put(context, context.allocated()));
        forgetClosed(); // an idle one closed just now: let go of it before the next collection
        return Optional.of(suspect.context());
    }

    /**
     * A context the guard may discard, with what it allocated since it was made or since the last discard (its
     * running call's included).
     */
    private record Suspect(SandboxedContext context, long allocated) {
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
