package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The pool's bookkeeping, with stand-in contexts (no Python): slots, the queue, borrowing, retirement. */
class ProjectPoolTest {

    private final List<Runnable> backgroundTasks = new ArrayList<>();
    private final Executor background = backgroundTasks::add;
    private int made;
    private int closed;

    private ProjectPool pool(int concurrent, int queued, int uses) {
        return new ProjectPool(new CallLimits(concurrent, queued), uses, () -> {
            made++;
            return new SandboxedContext(null, null, null) {
                @Override
                void close() {
                    closed++;
                }
            };
        }, background);
    }

    /** A pool that sees the memory as tight, whose successors inherit nothing. */
    private ProjectPool poolUnderMemoryPressure(int concurrent) {
        return new ProjectPool(new CallLimits(concurrent, 0), 100, () -> {
            made++;
            return new SandboxedContext(null, null, null);
        }, (from, to) -> { }, () -> true, background);
    }

    @Test
    void whileMemoryIsTightACallWaitsForTheProjectsContextInsteadOfMakingAnother() throws Exception {
        ProjectPool pool = poolUnderMemoryPressure(2);
        SandboxedContext first = borrow(pool);
        assertThat(pool.admit(Duration.ZERO)).isEqualTo(ProjectPool.Admission.ADMITTED);
        CompletableFuture<SandboxedContext> second = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        pool.giveBack(first);

        assertThat(second.get(1, java.util.concurrent.TimeUnit.MINUTES)).isSameAs(first);
        assertThat(made).isEqualTo(1);
    }

    @Test
    void aCallOfAVersionBeingWarmedWaitsForThatContextInsteadOfImportingItAgainInAnother() throws Exception {
        ProjectPool pool = pool(4, 0, 100);
        SandboxedContext warming = borrow(pool); // the deploy's pre-warm, loading the version "f:1:index.py"
        pool.warming("f:1:index.py", true);
        assertThat(pool.admit(Duration.ZERO)).isEqualTo(ProjectPool.Admission.ADMITTED);
        CompletableFuture<SandboxedContext> call = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.take("f:1:index.py", () -> false);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        pool.giveBack(warming);
        pool.warming("f:1:index.py", false);

        assertThat(call.get(1, java.util.concurrent.TimeUnit.MINUTES)).isSameAs(warming);
        assertThat(made).isEqualTo(1);
    }

    @Test
    void whileMemoryIsTightAProjectWithoutAContextStillGetsOne() throws Exception {
        ProjectPool pool = poolUnderMemoryPressure(1);

        assertThat(borrow(pool)).isNotNull();
        assertThat(made).isEqualTo(1);
    }

    private static SandboxedContext borrow(ProjectPool pool) throws InterruptedException {
        assertThat(pool.admit(Duration.ZERO)).isEqualTo(ProjectPool.Admission.ADMITTED);
        return pool.take();
    }

    @Test
    void aReturnedContextIsLentAgainInsteadOfMakingANewOne() throws Exception {
        ProjectPool pool = pool(4, 0, 100);
        SandboxedContext first = borrow(pool);
        pool.giveBack(first);
        assertThat(borrow(pool)).isSameAs(first);
        assertThat(made).isEqualTo(1);
    }

    @Test
    void aCallBeyondTheQueueIsRefusedAtOnce() throws Exception {
        ProjectPool pool = pool(1, 0, 100);
        borrow(pool);
        // No wait at all, however long the caller would have waited: the queue is full (it holds none).
        assertThat(pool.admit(Duration.ofHours(1))).isEqualTo(ProjectPool.Admission.QUEUE_FULL);
    }

    @Test
    void aQueuedCallWhoseWaitHasRunOutIsTimedOutAtTheWatchdogsNextLook() throws Exception {
        ProjectPool pool = pool(1, 1, 100);
        borrow(pool);
        CompletableFuture<ProjectPool.Admission> queued = CompletableFuture.supplyAsync(() -> admit(pool));
        await().until(() -> pool.admit(Duration.ZERO) == ProjectPool.Admission.QUEUE_FULL); // it is waiting

        pool.endLateWaits(System.nanoTime() + Duration.ofMinutes(1).toNanos()); // a look a minute later

        assertThat(queued.get(1, TimeUnit.MINUTES)).isEqualTo(ProjectPool.Admission.TIMED_OUT);
        assertThat(pool.waitingCalls()).isZero();
        assertThat(pool.liveContexts()).isEqualTo(1);
    }

    @Test
    void aQueuedCallWaitsOnWhileItsWaitHasNotRunOut() throws Exception {
        ProjectPool pool = pool(1, 1, 100);
        SandboxedContext busy = borrow(pool);
        CompletableFuture<ProjectPool.Admission> queued = CompletableFuture.supplyAsync(() -> admit(pool));
        await().until(() -> pool.admit(Duration.ZERO) == ProjectPool.Admission.QUEUE_FULL);

        pool.endLateWaits(System.nanoTime()); // within its minute: the look wakes nobody

        assertThat(pool.waitingCalls()).isEqualTo(1);
        pool.giveBack(busy);
        assertThat(queued.get(1, TimeUnit.MINUTES)).isEqualTo(ProjectPool.Admission.ADMITTED);
    }

    @Test
    void aQueuedCallIsAdmittedWhenASlotIsFreed() throws Exception {
        ProjectPool pool = pool(1, 1, 100);
        SandboxedContext busy = borrow(pool);
        CompletableFuture<ProjectPool.Admission> queued = CompletableFuture.supplyAsync(() -> admit(pool));
        await().until(() -> pool.admit(Duration.ZERO) == ProjectPool.Admission.QUEUE_FULL); // it is waiting
        pool.giveBack(busy);
        assertThat(queued.get()).isEqualTo(ProjectPool.Admission.ADMITTED);
        assertThat(pool.runningCalls()).isEqualTo(1);
    }

    @Test
    void aFreedSlotPassesToTheOldestQueuedCallOnTheThreadThatFreesIt() throws Exception {
        ProjectPool pool = pool(1, 2, 100);
        SandboxedContext busy = borrow(pool);
        RecordedCall first = new RecordedCall();
        RecordedCall second = new RecordedCall();
        assertThat(pool.admit(Duration.ofMinutes(1), first)).isEqualTo(ProjectPool.Admission.QUEUED);
        assertThat(pool.admit(Duration.ofMinutes(1), second)).isEqualTo(ProjectPool.Admission.QUEUED);

        pool.giveBack(busy);

        assertThat(first.admittedOn).isEqualTo(Thread.currentThread().getName());
        assertThat(second.admittedOn).isNull();
        assertThat(pool.runningCalls()).isEqualTo(1); // the slot went on, never free for a newcomer to take
        assertThat(pool.admit(Duration.ZERO)).isEqualTo(ProjectPool.Admission.QUEUE_FULL);
        assertThat(pool.waitingCalls()).isEqualTo(1);
    }

    @Test
    void aWithdrawnCallIsNeitherAdmittedNorTurnedAway() throws Exception {
        ProjectPool pool = pool(1, 1, 100);
        SandboxedContext busy = borrow(pool);
        RecordedCall withdrawn = new RecordedCall();
        pool.admit(Duration.ofMinutes(1), withdrawn);

        assertThat(pool.withdraw(withdrawn)).isTrue();
        pool.giveBack(busy);
        pool.close();

        assertThat(withdrawn.admittedOn).isNull();
        assertThat(withdrawn.turnedAway).isNull();
        assertThat(pool.runningCalls()).isZero();
    }

    @Test
    void closingThePoolTurnsItsQueuedCallsAway() throws Exception {
        ProjectPool pool = pool(1, 1, 100);
        borrow(pool);
        RecordedCall queued = new RecordedCall();
        pool.admit(Duration.ofMinutes(1), queued);

        pool.close();

        assertThat(queued.turnedAway).isEqualTo("pool closed");
        assertThat(pool.waitingCalls()).isZero();
    }

    /** A queued call that remembers what it was told. */
    private static final class RecordedCall implements ProjectPool.WaitingCall {
        volatile String admittedOn;
        volatile String turnedAway;

        @Override
        public void admitted() {
            admittedOn = Thread.currentThread().getName();
        }

        @Override
        public void turnedAway(boolean poolClosed) {
            turnedAway = poolClosed ? "pool closed" : "wait ran out";
        }
    }

    @Test
    void raisingTheLimitAdmitsAWaitingCall() throws Exception {
        ProjectPool pool = pool(1, 1, 100);
        borrow(pool);
        CompletableFuture<ProjectPool.Admission> queued = CompletableFuture.supplyAsync(() -> admit(pool));
        await().until(() -> pool.admit(Duration.ZERO) == ProjectPool.Admission.QUEUE_FULL);
        pool.limits(new CallLimits(2, 1));
        assertThat(queued.get()).isEqualTo(ProjectPool.Admission.ADMITTED);
        assertThat(pool.runningCalls()).isEqualTo(2);
    }

    @Test
    void aReleasedSlotIsFree() throws Exception {
        ProjectPool pool = pool(1, 0, 100);
        assertThat(pool.admit(Duration.ZERO)).isEqualTo(ProjectPool.Admission.ADMITTED);
        pool.release();
        assertThat(pool.admit(Duration.ZERO)).isEqualTo(ProjectPool.Admission.ADMITTED);
    }

    @Test
    void aSlotWhoseContextCouldNotBeMadeIsFreed() throws Exception {
        ProjectPool pool = new ProjectPool(new CallLimits(1, 0), 100, () -> {
            throw new IllegalStateException("no context today");
        }, background);
        assertThat(pool.admit(Duration.ZERO)).isEqualTo(ProjectPool.Admission.ADMITTED);

        assertThatThrownBy(pool::take).hasMessage("no context today");

        assertThat(pool.runningCalls()).isZero();
        assertThat(pool.liveContexts()).isZero();
    }

    @Test
    void aBrokenContextIsClosedAndNotLentAgain() throws Exception {
        ProjectPool pool = pool(4, 0, 100);
        SandboxedContext context = borrow(pool);
        context.broken = true;
        pool.giveBack(context);
        assertThat(closed).isEqualTo(1);
        assertThat(borrow(pool)).isNotSameAs(context);
    }

    @Test
    void anIdleContextDiscardedIsClosedAndALentOneOnlyMarked() throws Exception {
        ProjectPool pool = pool(2, 0, 100);
        SandboxedContext idle = borrow(pool);
        SandboxedContext lent = borrow(pool);
        pool.giveBack(idle);

        assertThat(pool.discardIfIdle(idle)).isTrue();
        assertThat(pool.discardIfIdle(lent)).isFalse();

        assertThat(closed).isEqualTo(1);
        assertThat(lent.broken).isTrue();
        pool.giveBack(lent);
        assertThat(closed).isEqualTo(2);
        assertThat(pool.liveContexts()).isZero();
    }

    @Test
    void forMemoryAnIdleContextIsClosedAndALentOneLeftForTheGuardToStop() throws Exception {
        ProjectPool pool = pool(2, 0, 100);
        SandboxedContext idle = borrow(pool);
        SandboxedContext lent = borrow(pool);
        pool.giveBack(idle);

        assertThat(pool.closeIfIdle(idle)).isTrue();
        assertThat(pool.closeIfIdle(lent)).isFalse();

        assertThat(closed).isEqualTo(1);
        assertThat(lent.broken).as("still a suspect for the guard once its call runs").isFalse();
        pool.giveBack(lent);
        assertThat(closed).isEqualTo(1);
        assertThat(pool.liveContexts()).isEqualTo(1);
    }

    @Test
    void everyContextIdleOrLentIsVisibleToTheMemoryGuard() throws Exception {
        ProjectPool pool = pool(2, 0, 100);
        SandboxedContext idle = borrow(pool);
        SandboxedContext lent = borrow(pool);
        pool.giveBack(idle);
        assertThat(pool.contexts()).containsExactlyInAnyOrder(idle, lent);
    }

    @Test
    void aContextPastItsUseLimitServesOnUntilItsReplacementIsReady() throws Exception {
        ProjectPool pool = pool(1, 0, 2);
        SandboxedContext old = borrow(pool);
        pool.giveBack(old);
        pool.giveBack(borrow(pool)); // second use: retiring, replacement queued
        assertThat(backgroundTasks).hasSize(1);
        assertThat(borrow(pool)).as("still lent while the successor is made").isSameAs(old);
        pool.giveBack(old);

        backgroundTasks.removeFirst().run();

        assertThat(closed).isEqualTo(1);
        SandboxedContext next = borrow(pool);
        assertThat(next).isNotSameAs(old);
        assertThat(pool.liveContexts()).isEqualTo(1);
    }

    @Test
    void aRetiringContextInUseIsClosedWhenItComesBack() throws Exception {
        ProjectPool pool = pool(1, 0, 1);
        SandboxedContext old = borrow(pool);
        pool.giveBack(old); // retiring
        SandboxedContext inUse = borrow(pool);
        backgroundTasks.removeFirst().run(); // successor ready while old is lent out
        assertThat(pool.liveContexts()).isEqualTo(2);
        pool.giveBack(inUse);
        assertThat(closed).isEqualTo(1);
        assertThat(pool.liveContexts()).isEqualTo(1);
    }

    @Test
    void idleContextsAreClosedAfterTheirIdleTime() throws Exception {
        ProjectPool pool = pool(4, 0, 100);
        pool.giveBack(borrow(pool));
        assertThat(pool.evictIdle(Duration.ofHours(1))).isZero();
        assertThat(pool.evictIdle(Duration.ZERO)).isEqualTo(1);
        assertThat(pool.liveContexts()).isZero();
    }

    @Test
    void warmUpsOfAProjectRunOneAfterAnotherInOnePass() {
        ProjectPool pool = pool(4, 0, 100);
        List<String> ran = new ArrayList<>();
        pool.warmUp(() -> ran.add("first"));
        pool.warmUp(() -> ran.add("second"));
        pool.warmUp(() -> ran.add("third"));

        assertThat(backgroundTasks).hasSize(1); // one pass, not one background task per deploy
        assertThat(ran).isEmpty();
        backgroundTasks.removeFirst().run();

        assertThat(ran).containsExactly("first", "second", "third");
    }

    @Test
    void aBurstOfWarmUpsTakesOneContextAfterAnother() {
        ProjectPool pool = pool(4, 0, 100);
        List<SandboxedContext> used = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pool.warmUp(() -> {
                try {
                    SandboxedContext context = borrow(pool);
                    used.add(context);
                    pool.giveBack(context);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        backgroundTasks.removeFirst().run();

        assertThat(used).hasSize(5).containsOnly(used.getFirst());
        assertThat(made).isEqualTo(1);
    }

    @Test
    void aWarmUpAfterAnEndedPassStartsAnother() {
        ProjectPool pool = pool(4, 0, 100);
        List<String> ran = new ArrayList<>();
        pool.warmUp(() -> ran.add("first"));
        backgroundTasks.removeFirst().run();

        pool.warmUp(() -> ran.add("second"));
        backgroundTasks.removeFirst().run();

        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void aFailingWarmUpDoesNotStopTheOnesAfterIt() {
        ProjectPool pool = pool(4, 0, 100);
        List<String> ran = new ArrayList<>();
        pool.warmUp(() -> {
            throw new IllegalStateException("its own failure");
        });
        pool.warmUp(() -> ran.add("second"));

        backgroundTasks.removeFirst().run();

        assertThat(ran).containsExactly("second");
    }

    @Test
    void aClosedPoolRunsNoWarmUp() {
        ProjectPool pool = pool(4, 0, 100);
        List<String> ran = new ArrayList<>();
        pool.warmUp(() -> ran.add("queued before the close"));
        pool.close();
        pool.warmUp(() -> ran.add("after the close"));

        backgroundTasks.forEach(Runnable::run);

        assertThat(ran).isEmpty();
    }

    private static ProjectPool.Admission admit(ProjectPool pool) {
        try {
            return pool.admit(Duration.ofMinutes(1));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
