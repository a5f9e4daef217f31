package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

/** The pool's bookkeeping, with stand-in contexts (no Python): borrowing, bounds, retirement. */
class ProjectPoolTest {

    private final List<Runnable> backgroundTasks = new ArrayList<>();
    private final Executor background = backgroundTasks::add;
    private int made;

    private ProjectPool pool(int max, int uses) {
        return new ProjectPool(max, uses, () -> {
            made++;
            return new SandboxedContext(null, null, null) {
                @Override
                void close() {
                    closed++;
                }
            };
        }, background);
    }

    private int closed;

    @Test
    void aReturnedContextIsLentAgainInsteadOfMakingANewOne() throws Exception {
        ProjectPool pool = pool(4, 100);
        SandboxedContext first = pool.borrow(Duration.ZERO);
        pool.giveBack(first);
        assertThat(pool.borrow(Duration.ZERO)).isSameAs(first);
        assertThat(made).isEqualTo(1);
    }

    @Test
    void noMoreThanTheBoundAreMadeAndTheNextCallerTimesOut() throws Exception {
        ProjectPool pool = pool(2, 100);
        pool.borrow(Duration.ZERO);
        pool.borrow(Duration.ZERO);
        assertThat(pool.borrow(Duration.ofMillis(50))).isNull();
        assertThat(pool.liveContexts()).isEqualTo(2);
    }

    @Test
    void aBrokenContextIsClosedAndNotLentAgain() throws Exception {
        ProjectPool pool = pool(4, 100);
        SandboxedContext context = pool.borrow(Duration.ZERO);
        context.broken = true;
        pool.giveBack(context);
        assertThat(closed).isEqualTo(1);
        assertThat(pool.borrow(Duration.ZERO)).isNotSameAs(context);
    }

    @Test
    void aContextPastItsUseLimitServesOnUntilItsReplacementIsReady() throws Exception {
        ProjectPool pool = pool(1, 2);
        SandboxedContext old = pool.borrow(Duration.ZERO);
        pool.giveBack(old);
        pool.giveBack(pool.borrow(Duration.ZERO)); // second use: retiring, replacement queued
        assertThat(backgroundTasks).hasSize(1);
        assertThat(pool.borrow(Duration.ZERO)).as("still lent while the successor is made").isSameAs(old);
        pool.giveBack(old);

        backgroundTasks.removeFirst().run();

        assertThat(closed).isEqualTo(1);
        SandboxedContext next = pool.borrow(Duration.ZERO);
        assertThat(next).isNotSameAs(old);
        assertThat(pool.liveContexts()).isEqualTo(1);
    }

    @Test
    void aRetiringContextInUseIsClosedWhenItComesBack() throws Exception {
        ProjectPool pool = pool(1, 1);
        SandboxedContext old = pool.borrow(Duration.ZERO);
        pool.giveBack(old); // retiring
        SandboxedContext inUse = pool.borrow(Duration.ZERO);
        backgroundTasks.removeFirst().run(); // successor ready while old is lent out
        assertThat(pool.liveContexts()).isEqualTo(2);
        pool.giveBack(inUse);
        assertThat(closed).isEqualTo(1);
        assertThat(pool.liveContexts()).isEqualTo(1);
    }

    @Test
    void idleContextsAreClosedAfterTheirIdleTime() throws Exception {
        ProjectPool pool = pool(4, 100);
        pool.giveBack(pool.borrow(Duration.ZERO));
        assertThat(pool.evictIdle(Duration.ofHours(1))).isZero();
        assertThat(pool.evictIdle(Duration.ZERO)).isEqualTo(1);
        assertThat(pool.isEmpty()).isTrue();
    }
}
