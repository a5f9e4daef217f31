package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which context the retained-memory guard discards after a collection, with stand-in contexts (no Python). */
class RetainedMemoryGuardTest {

    private static final long HEAP = Runtime.getRuntime().maxMemory();

    private final List<SandboxedContext> contexts = new ArrayList<>();
    private final List<SandboxedContext> discarded = new ArrayList<>();
    /** Whether a discard finds the context where it can act (running or idle), not between a call and the pool. */
    private boolean reachable = true;
    /** What each running context's current call has allocated; absent: idle. */
    private final Map<SandboxedContext, Long> calls = new HashMap<>();
    private long now;
    /** What the young generation holds at a reading. */
    private long young;
    /** Collections each collector has run, by its name, as the JVM counts them. */
    private final Map<String, Long> collections = new HashMap<>(Map.of("young", 0L, "full", 0L, "marking", 0L));
    private final RetainedMemoryGuard guard = new RetainedMemoryGuard(0.5, () -> contexts,
            context -> calls.getOrDefault(context, -1L), context -> reachable && discarded.add(context), () -> now,
            () -> Map.copyOf(collections), () -> young);

    private Optional<SandboxedContext> afterFullCollection(long used) {
        return guard.afterCollection(used, true, "full", collections.merge("full", 1L, Long::sum));
    }

    private Optional<SandboxedContext> afterYoungCollection(long used) {
        return guard.afterCollection(used, false, "young", collections.merge("young", 1L, Long::sum));
    }

    /** A remark or cleanup pause of G1's marking. */
    private void marked() {
        guard.markingEnded("marking", collections.merge("marking", 1L, Long::sum));
    }

    /** The collections that take what the last marking found; what the last of them decided. */
    private Optional<SandboxedContext> afterMixedCollections(long used) {
        Optional<SandboxedContext> decided = Optional.empty();
        for (int i = 0; i < RetainedMemoryGuard.MIXED_COLLECTIONS; i++) {
            decided = afterYoungCollection(used);
        }
        return decided;
    }

    /** The guard discards the context at a nearly full reading, and the pool closes it. */
    private void discardedAndClosed(SandboxedContext hoarder) {
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).contains(hoarder);
        hoarder.broken = true; // as the pool marks a discarded context
        hoarder.close();
    }

    /**
     * A hoarder discarded, closed and let go of, then a context made since, running a call that has allocated
     * {@code byItsCall} so far.
     */
    private SandboxedContext callAfterADiscard(long allocated, long byItsCall) {
        discardedAndClosed(context(HEAP / 2));
        guard.nearlyFull(HEAP * 9 / 10); // lets go of it
        SandboxedContext fresh = context(allocated);
        calls.put(fresh, byItsCall);
        return fresh;
    }

    /** Not chosen at a nearly full reading while the last discard's hoard may be there; chosen once it is gone. */
    private void assertChosenOnlyOnceTheHoardIsGone(SandboxedContext context, long reading) {
        assertThat(guard.nearlyFull(reading)).isEmpty();
        guard.nearlyFull(HEAP / 2); // the hoard is gone
        assertThat(guard.nearlyFull(reading)).contains(context);
    }

        /** A young collection that has run (and been counted), but whose notification comes only later. */
    private long youngCollectionRun() {
        return collections.merge("young", 1L, Long::sum);
    }

    private SandboxedContext context(long allocated) {
        SandboxedContext context = new SandboxedContext(null, null, null); // a stand-in: no Python
        context.addAllocated(allocated);
        contexts.add(context);
        return context;
    }

    @Test
    void nothingIsDiscardedWhileTheHeapIsUnderTheLimitAfterACollection() {
        context(HEAP / 2);
        assertThat(afterFullCollection(HEAP / 4)).isEmpty();
        assertThat(discarded).isEmpty();
    }

    @Test
    void theContextThatAllocatedTheMostIsDiscarded() {
        context(HEAP / 10);
        SandboxedContext hoarder = context(HEAP / 3);
        assertThat(afterFullCollection(HEAP * 3 / 4)).contains(hoarder);
        assertThat(discarded).containsExactly(hoarder);
    }

    @Test
    void aRunningCallThatIsItselfAllocatingHeavilyIsStopped() {
        SandboxedContext hoarder = context(HEAP / 3);
        context(HEAP / 10);
        calls.put(hoarder, HEAP / 5);
        assertThat(afterFullCollection(HEAP * 6 / 10)).contains(hoarder);
    }

    @Test
    void aRunningCallThatMerelyWaitsIsNotBlamedForWhatItsContextOnceAllocated() {
        SandboxedContext waiting = context(HEAP / 3);
        SandboxedContext idle = context(HEAP / 10);
        calls.put(waiting, HEAP / 100);
        assertThat(afterFullCollection(HEAP * 9 / 10)).contains(idle);
    }

    @Test
    void aContextThatAllocatedLittleIsNeverBlamed() {
        context(HEAP / 100);
        assertThat(afterFullCollection(HEAP)).isEmpty();
    }

    @Test
    void theNextIsChosenOnlyAfterTheLastHasClosedAndACollectionHasRunSince() {
        SandboxedContext first = context(HEAP / 3);
        SandboxedContext second = context(HEAP / 4);
        afterFullCollection(HEAP * 3 / 4);
        first.broken = true; // as the pool marks a discarded context

        assertThat(afterFullCollection(HEAP * 3 / 4)).as("not closed yet").isEmpty();
        first.close();
        assertThat(afterFullCollection(HEAP * 3 / 4)).as("the collection that ran while it closed").isEmpty();
        assertThat(afterFullCollection(HEAP * 3 / 4)).contains(second);
    }

    @Test
    void aYoungCollectionOverTheLimitIsNotTakenAsLive() {
        context(HEAP / 3);
        assertThat(afterYoungCollection(HEAP * 3 / 4)).as("perhaps old garbage").isEmpty();
        assertThat(discarded).isEmpty();
        assertThat(guard.tight()).as("not known to be tight").isFalse();
    }

    @Test
    void theLowestReadingOnceTheMixedCollectionsAfterAMarkingHaveRunDecides() {
        SandboxedContext hoarder = context(HEAP / 3);
        marked();
        for (int i = 1; i < RetainedMemoryGuard.MIXED_COLLECTIONS; i++) {
            assertThat(afterYoungCollection(i == 5 ? HEAP * 3 / 5 : HEAP * 7 / 10)).as("collection %d", i).isEmpty();
        }
        assertThat(afterYoungCollection(HEAP * 7 / 10)).contains(hoarder);
        assertThat(guard.tight()).isTrue();
    }

    @Test
    void aLaterMarkingDoesNotRestartTheCount() {
        SandboxedContext hoarder = context(HEAP / 3);
        marked();
        for (int i = 1; i < RetainedMemoryGuard.MIXED_COLLECTIONS; i++) {
            afterYoungCollection(HEAP * 7 / 10);
            marked(); // G1 marking again and again under load
        }
        assertThat(afterYoungCollection(HEAP * 7 / 10)).contains(hoarder);
    }

    @Test
    void oldGarbageThatTheMixedCollectionsTakeLeavesTheHeapNotTight() {
        context(HEAP / 3);
        afterYoungCollection(HEAP * 3 / 4);
        marked();
        afterYoungCollection(HEAP * 3 / 5);
        assertThat(afterYoungCollection(HEAP / 10)).isEmpty();
        assertThat(guard.tight()).isFalse();
        assertThat(discarded).isEmpty();
    }

    @Test
    void aFullCollectionsReadingDecidesAtOnce() {
        SandboxedContext hoarder = context(HEAP / 3);
        assertThat(afterFullCollection(HEAP * 3 / 5)).contains(hoarder);
    }

    @Test
    void aYoungCollectionUnderTheLimitEndsTightness() {
        context(HEAP / 3);
        calls.put(contexts.getFirst(), HEAP / 100); // a waiting call: nothing to blame
        afterFullCollection(HEAP * 3 / 5);
        assertThat(guard.tight()).isTrue();
        afterYoungCollection(HEAP / 4);
        assertThat(guard.tight()).isFalse();
    }

    @Test
    void aVerdictOfTightLastsAFewSecondsOnly() {
        // Until G1's next marking, old garbage keeps the young collections' readings over the limit: they neither
        // confirm nor end it, and a verdict kept until the marking would keep every pool from growing meanwhile.
        context(HEAP / 3);
        calls.put(contexts.getFirst(), HEAP / 100);
        afterFullCollection(HEAP * 3 / 5);
        afterYoungCollection(HEAP * 3 / 5);
        now += RetainedMemoryGuard.TIGHT_FOR.toNanos() - 1;
        assertThat(guard.tight()).isTrue();
        now += 1;
        assertThat(guard.tight()).isFalse();
    }

    @Test
    void aNewVerdictOfTightLastsFromWhenItWasMade() {
        context(HEAP / 3);
        calls.put(contexts.getFirst(), HEAP / 100);
        afterFullCollection(HEAP * 3 / 5);
        now += RetainedMemoryGuard.TIGHT_FOR.toNanos();
        afterFullCollection(HEAP * 3 / 5);
        assertThat(guard.tight()).isTrue();
    }

    @Test
    void aMarkingAfterTheLastDiscardedHasClosedJudgesTheNext() {
        SandboxedContext first = context(HEAP / 3);
        SandboxedContext second = context(HEAP / 4);
        afterFullCollection(HEAP * 3 / 4);
        first.broken = true; // as the pool marks a discarded context
        first.close();
        marked();
        for (int i = 1; i < RetainedMemoryGuard.MIXED_COLLECTIONS; i++) {
            afterYoungCollection(HEAP * 3 / 4);
        }
        assertThat(afterYoungCollection(HEAP * 3 / 4)).contains(second);
    }

    @Test
    void underTheNearlyFullShareTheHeapInUseIsNotJudged() {
        context(HEAP / 3);
        assertThat(guard.nearlyFull((long) (HEAP * (RetainedMemoryGuard.NEARLY_FULL - 0.01)))).isEmpty();
        assertThat(guard.tight()).isFalse();
    }

    @Test
    void nearlyFullTheHeapInUseIsTakenAsLive() {
        SandboxedContext hoarder = context(HEAP / 3);
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).contains(hoarder);
        assertThat(guard.tight()).isTrue();
    }

    @Test
    void nearlyFullARunningCallStillAllocatingIsStoppedThoughItsCallAloneIsSmall() {
        // A hoarder's next call fills the last fifth of the heap with no idle moment in between to discard it in.
        SandboxedContext hoarder = context(HEAP / 4);
        SandboxedContext idle = context(HEAP / 10);
        calls.put(hoarder, HEAP / 32);
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).contains(hoarder);
        assertThat(discarded).containsExactly(hoarder).doesNotContain(idle);
    }

    @Test
    void nearlyFullARunningCallThatMerelyWaitsIsStillNotBlamed() {
        SandboxedContext waiting = context(HEAP / 3);
        SandboxedContext idle = context(HEAP / 10);
        calls.put(waiting, HEAP / 100);
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).contains(idle);
    }

    @Test
    void afterACollectionARunningCallMustAllocateAnEighthOfTheHeapToBeASuspect() {
        SandboxedContext hoarder = context(HEAP / 4);
        SandboxedContext idle = context(HEAP / 10);
        calls.put(hoarder, HEAP / 32);
        assertThat(afterFullCollection(HEAP * 6 / 10)).contains(idle);
    }

    @Test
    void aRunningCallWeighsWhatItsCallAllocatedWithWhatItsContextAllocatedBefore() {
        SandboxedContext fresh = context(0);
        SandboxedContext idle = context(HEAP / 10);
        calls.put(fresh, HEAP / 8);
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).contains(fresh);
    }

    @Test
    void whileTheLastDiscardsMemoryMayStillFillTheHeapACallAllocatingLittleIsNotBlamed() {
        SandboxedContext hoarder = context(HEAP / 3);
        SandboxedContext bystander = context(HEAP / 4);
        discardedAndClosed(hoarder);
        afterYoungCollection(HEAP * 9 / 10); // young collections do not take a hoard of small objects
        afterYoungCollection(HEAP * 9 / 10);
        calls.put(bystander, HEAP / 32);

        assertChosenOnlyOnceTheHoardIsGone(bystander, HEAP * 9 / 10);
    }

    @Test
    void aContextBetweenACallAndThePoolIsJudgedAgainAtTheNextReading() {
        SandboxedContext hoarder = context(HEAP / 3);
        reachable = false; // lent to a call that has not started yet
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).isEmpty();

        reachable = true; // idle again, or running
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).contains(hoarder);
        assertThat(discarded).containsExactly(hoarder);
    }

    @Test
    void afterADiscardTheHeapsReadingsDoNotBlameWhatOthersAllocatedBefore() {
        SandboxedContext first = context(HEAP / 3);
        SandboxedContext second = context(HEAP / 4);
        discardedAndClosed(first);

        for (int tick = 0; tick < 100; tick++) {
            assertThat(guard.nearlyFull(HEAP * 9 / 10)).as("its memory is not collected yet").isEmpty();
        }
        afterYoungCollection(HEAP * 9 / 10); // young collections do not take a hoard of small objects
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).isEmpty();
        assertThat(afterFullCollection(HEAP * 9 / 10)).as("all live: the hoard is gone").contains(second);
    }

    @Test
    void afterADiscardAContextThatAllocatedMuchSinceIsChosenBeforeAnyCollection() {
        // A hoarder's fresh context keeping large arrays: they make no young collection, and fill the heap again
        // before any collection could show the last hoard gone.
        SandboxedContext bystander = context(HEAP / 3);
        SandboxedContext fresh = callAfterADiscard(HEAP / 4, HEAP / 32);
        bystander.addAllocated(HEAP / 100);

        assertThat(guard.nearlyFull(HEAP * 9 / 10)).contains(fresh);
        assertThat(discarded).doesNotContain(bystander);
    }

    @Test
    void whileTheLastDiscardedStillClosesAContextAllocatingMuchSinceIsChosen() {
        SandboxedContext first = context(HEAP / 2);
        SandboxedContext bystander = context(HEAP / 3);
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).contains(first);
        first.broken = true; // as the pool marks a discarded context; its close is slow
        SandboxedContext fresh = context(HEAP / 4);
        calls.put(fresh, HEAP / 32);

        assertThat(guard.nearlyFull(HEAP * 19 / 20)).contains(fresh);
        assertThat(discarded).doesNotContain(bystander);
    }

    @Test
    void afterADiscardACallThatFindsTheHeapFullOfTheOldHoardIsNotBlamedForItShortOfTheWall() {
        SandboxedContext fresh = callAfterADiscard(HEAP / 16, HEAP / 32);

        assertChosenOnlyOnceTheHoardIsGone(fresh, HEAP * 89 / 100);
    }

    @Test
    void atTheWallTheCallThatAllocatedTheMostSinceTheDiscardIsStoppedBeforeItFillsTheHeap() {
        // A hoarder's fresh context keeping a tenth of the heap a call in 1 MB arrays fills two tenths in regions:
        // from a heap nearly full of the last hoard, it reaches the wall having allocated well under an eighth.
        SandboxedContext bystander = context(HEAP / 3);
        SandboxedContext fresh = callAfterADiscard(0, HEAP / 32);
        bystander.addAllocated(HEAP / 100);

        assertThat(guard.nearlyFull(HEAP * 93 / 100)).contains(fresh);
        assertThat(discarded).hasSize(2).doesNotContain(bystander);
    }

    @Test
    void aMarkingThatMayHaveBegunBeforeTheDiscardedContextWasLetGoDoesNotShowWhatItHeldGone() {
        SandboxedContext keptSinceBefore = context(HEAP / 3);
        discardedAndClosed(context(HEAP / 2));
        guard.nearlyFull(HEAP * 9 / 10); // lets go of it
        marked(); // a remark and a cleanup: the marking may have begun while the context was still held
        marked();

        assertThat(afterMixedCollections(HEAP * 9 / 10)).isEmpty();
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).isEmpty();
        assertThat(discarded).doesNotContain(keptSinceBefore);
    }

    @Test
    void aHoardKeptSinceBeforeTheDiscardIsFoundOnceAMarkingBegunAfterItsReleaseHasTakenTheDiscardedMemory() {
        // Another project's idle context keeps a third of the heap: the discarded hoard gone, the heap still reads
        // nearly full, and without this only a full collection (every tenant paused) would show whose it is.
        SandboxedContext keptSinceBefore = context(HEAP / 3);
        discardedAndClosed(context(HEAP / 2));
        guard.nearlyFull(HEAP * 9 / 10); // lets go of it
        marked();
        marked();
        afterMixedCollections(HEAP * 9 / 10);
        marked(); // a marking begun after the release

        assertThat(afterMixedCollections(HEAP * 9 / 10)).contains(keptSinceBefore);
    }

    @Test
    void youngGarbageDoesNotBringTheHeapToTheWall() {
        // The discarded hoard's small objects wait in old regions for a marking; a bystander's call fills the
        // young generation with garbage, which its next collection takes.
        SandboxedContext bystander = callAfterADiscard(0, HEAP / 32);
        young = HEAP / 20;

        assertThat(guard.nearlyFull(HEAP * 93 / 100)).isEmpty();
        assertThat(discarded).doesNotContain(bystander);
    }

    @Test
    void atTheWallACallThatMerelyWaitsIsStillNotBlamed() {
        callAfterADiscard(HEAP / 4, HEAP / 100);

        assertThat(guard.nearlyFull(HEAP * 99 / 100)).isEmpty();
    }

    @Test
    void aCollectionThatRanBeforeTheDiscardedContextWasLetGoDoesNotShowWhatItFreed() {
        SandboxedContext first = context(HEAP / 3);
        SandboxedContext second = context(HEAP / 4);
        discardedAndClosed(first);
        long ranWhileItWasHeld = youngCollectionRun();
        guard.nearlyFull(HEAP * 9 / 10); // lets go of it

        assertThat(guard.afterCollection(HEAP / 5, false, "young", ranWhileItWasHeld)).isEmpty();
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).as("its hoard may still be there").isEmpty();
        afterYoungCollection(HEAP / 5);
        assertThat(guard.nearlyFull(HEAP * 9 / 10)).contains(second);
    }

    @Test
    void aYoungCollectionThatTookTheDiscardedHoardLetsTheNextHoardersCallBeStopped() {
        // A hoard of large arrays goes at the first young collection after its context closed, and the next hoarder's
        // fresh context can fill the heap again before the guard reads it under nearly full.
        SandboxedContext first = context(HEAP / 2);
        discardedAndClosed(first);
        guard.nearlyFull(HEAP * 9 / 10); // lets go of it
        afterYoungCollection(HEAP / 5);
        SandboxedContext fresh = context(HEAP / 2);
        calls.put(fresh, HEAP / 32);

        assertThat(guard.nearlyFull(HEAP * 9 / 10)).contains(fresh);
    }

    @Test
    void anIdleContextDiscardedIsNotKeptReachableOnceClosed() {
        // The pool closes an idle context at once; the guard must not keep it, as a closed context still reaches the
        // module globals it was discarded for.
        RetainedMemoryGuard closingGuard = new RetainedMemoryGuard(0.5, () -> contexts, context -> -1L,
                context -> {
                    context.close();
                    return true;
                }, () -> now, () -> Map.copyOf(collections), () -> young);
        WeakReference<SandboxedContext> hoarder = new WeakReference<>(context(HEAP / 3));

        assertThat(closingGuard.nearlyFull(HEAP * 9 / 10)).isPresent();
        contexts.clear();

        assertCollectable(hoarder);
    }

    @Test
    void aStoppedCallsContextIsLetGoOfAtTheFirstReadingAfterItClosed() {
        WeakReference<SandboxedContext> hoarder = new WeakReference<>(context(HEAP / 3));
        guard.nearlyFull(HEAP * 9 / 10);
        contexts.clear();
        discarded.clear();
        hoarder.get().close(); // on the stopper's thread, once its call has ended

        guard.nearlyFull(HEAP / 10); // however low the heap reads

        assertCollectable(hoarder);
    }

    private static void assertCollectable(WeakReference<SandboxedContext> context) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return context.get() == null;
        });
    }
}
