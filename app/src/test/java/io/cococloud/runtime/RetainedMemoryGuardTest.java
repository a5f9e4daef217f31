package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Which context the retained-memory guard discards after a collection, with stand-in contexts (no Python). */
class RetainedMemoryGuardTest {

    private static final long HEAP = Runtime.getRuntime().maxMemory();

    private final List<SandboxedContext> contexts = new ArrayList<>();
    private final List<SandboxedContext> discarded = new ArrayList<>();
    /** What each running context's current call has allocated; absent: idle. */
    private final Map<SandboxedContext, Long> calls = new HashMap<>();
    private final RetainedMemoryGuard guard = new RetainedMemoryGuard(0.5, () -> contexts,
            context -> calls.getOrDefault(context, -1L), discarded::add);

    private SandboxedContext context(long allocated) {
        SandboxedContext context = new SandboxedContext(null, null, null); // a stand-in: no Python
        context.addAllocated(allocated);
        contexts.add(context);
        return context;
    }

    @Test
    void nothingIsDiscardedWhileTheHeapIsUnderTheLimitAfterACollection() {
        context(HEAP / 2);
        assertThat(guard.afterCollection(HEAP / 4)).isEmpty();
        assertThat(discarded).isEmpty();
    }

    @Test
    void theContextThatAllocatedTheMostIsDiscarded() {
        context(HEAP / 10);
        SandboxedContext hoarder = context(HEAP / 3);
        assertThat(guard.afterCollection(HEAP * 3 / 4)).contains(hoarder);
        assertThat(discarded).containsExactly(hoarder);
    }

    @Test
    void aRunningCallThatIsItselfAllocatingHeavilyIsStopped() {
        SandboxedContext hoarder = context(HEAP / 3);
        context(HEAP / 10);
        calls.put(hoarder, HEAP / 5);
        assertThat(guard.afterCollection(HEAP * 6 / 10)).contains(hoarder);
    }

    @Test
    void aRunningCallThatMerelyWaitsIsNotBlamedForWhatItsContextOnceAllocated() {
        SandboxedContext waiting = context(HEAP / 3);
        SandboxedContext idle = context(HEAP / 10);
        calls.put(waiting, HEAP / 100);
        assertThat(guard.afterCollection(HEAP * 9 / 10)).contains(idle);
    }

    @Test
    void aContextThatAllocatedLittleIsNeverBlamed() {
        context(HEAP / 100);
        assertThat(guard.afterCollection(HEAP)).isEmpty();
    }

    @Test
    void theNextIsChosenOnlyAfterTheLastHasClosedAndACollectionHasRunSince() {
        SandboxedContext first = context(HEAP / 3);
        SandboxedContext second = context(HEAP / 4);
        guard.afterCollection(HEAP * 3 / 4);
        first.broken = true; // as the pool marks a discarded context

        assertThat(guard.afterCollection(HEAP * 3 / 4)).as("not closed yet").isEmpty();
        first.close();
        assertThat(guard.afterCollection(HEAP * 3 / 4)).as("the collection that ran while it closed").isEmpty();
        assertThat(guard.afterCollection(HEAP * 3 / 4)).contains(second);
    }
}
