package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Which running call the heap guard stops, with a stand-in heap (its size and what is in use are given) and stand-in
 * calls on this test's thread (what they allocated is set through their allocation at start).
 */
class HeapGuardTest {

    private static final long HEAP = 4L << 30;

    private final List<FakeCall> stopped = new ArrayList<>();
    private long inUse;
    private boolean liveOverLimit;
    private final HeapGuard guard = new HeapGuard(0.5, () -> liveOverLimit, HEAP, () -> inUse);

    /** A call on this thread that has allocated about {@code allocated} bytes since it started. */
    private final class FakeCall implements HeapGuard.RunningCall {
        private final long allocatedAtStart;
        private final boolean loading;
        private boolean ended;

        FakeCall(long allocated, boolean loading) {
            this.allocatedAtStart = guard.allocatedByCurrentThread() - allocated;
            this.loading = loading;
        }

        @Override
        public long threadId() {
            return Thread.currentThread().threadId();
        }

        @Override
        public long allocatedAtStart() {
            return allocatedAtStart;
        }

        @Override
        public boolean stopForMemory() {
            return !ended && stopped.add(this);
        }

        @Override
        public boolean loading() {
            return loading;
        }
    }

    private FakeCall call(long allocated) {
        return new FakeCall(allocated, false);
    }

    private Optional<HeapGuard.RunningCall> checkWithHeapInUse(double share, FakeCall... running) {
        inUse = (long) (share * HEAP);
        return guard.check(List.of(running));
    }

    @Test
    void nothingIsStoppedWhileTheHeapInUseIsUnderTheLimit() {
        liveOverLimit = true;
        assertThat(checkWithHeapInUse(0.45, call(HEAP / 2))).isEmpty();
        assertThat(stopped).isEmpty();
    }

    @Test
    void overTheLimitWithTheLiveHeapOverItTooTheBiggestAllocatorIsStopped() {
        liveOverLimit = true;
        FakeCall small = call(HEAP / 10);
        FakeCall bomb = call(HEAP / 3);
        assertThat(checkWithHeapInUse(0.6, small, bomb)).contains(bomb);
        assertThat(stopped).containsExactly(bomb);
    }

    @Test
    void aCallThatEndedBeforeItCouldBeStoppedIsNotAnsweredAsStopped() {
        liveOverLimit = true;
        FakeCall bomb = call(HEAP / 3);
        bomb.ended = true;

        assertThat(checkWithHeapInUse(0.6, bomb)).isEmpty();
        assertThat(stopped).isEmpty();
    }

    @Test
    void aCallThatAllocatedLessThanAQuarterOfTheHeapIsNotStopped() {
        liveOverLimit = true;
        assertThat(checkWithHeapInUse(0.95, call(HEAP / 5))).isEmpty();
        assertThat(stopped).isEmpty();
    }

    @Test
    void overTheLimitWhileTheLastMarkingFoundLessLiveACallIsNotStoppedBeforeTheHeapIsNearlyFull() {
        // What fills the heap may be old garbage that G1 has not marked yet: a call making much of it is no bomb.
        liveOverLimit = false;
        FakeCall garbageMaker = call(HEAP / 3);
        assertThat(checkWithHeapInUse(0.75, garbageMaker)).isEmpty();
        assertThat(stopped).isEmpty();

        assertThat(checkWithHeapInUse(HeapGuard.LIMIT_IN_DOUBT + 0.01, garbageMaker)).contains(garbageMaker);
        assertThat(stopped).containsExactly(garbageMaker);
    }

    @Test
    void aLoadingCallIsNotStoppedBeforeTheHeapIsNearlyFullEvenWhenTheLiveHeapIsOverTheLimit() {
        liveOverLimit = true;
        FakeCall importing = new FakeCall(HEAP / 3, true);
        assertThat(checkWithHeapInUse(0.75, importing)).isEmpty();

        assertThat(checkWithHeapInUse(HeapGuard.LIMIT_IN_DOUBT + 0.01, importing)).contains(importing);
    }

    @Test
    void whileALoadingCallMayNotBeStoppedTheBiggestOtherAllocatorIs() {
        liveOverLimit = true;
        FakeCall importing = new FakeCall(HEAP / 2, true);
        FakeCall bomb = call(HEAP / 3);
        assertThat(checkWithHeapInUse(0.6, importing, bomb)).contains(bomb);
    }
}
