package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handing calls to worker threads: a worker lingers after a call only on a quiet server with a core to spare, and a
 * caller busy-waits only for a function known to be quick, and only with a core to spare. Long spins stand for "the
 * other side comes in time": a spin ends as soon as it does, so they cost nothing unless the behaviour is wrong.
 */
@Timeout(120)
class WorkerHandOffTest {

    private static final Duration LONG = Duration.ofMinutes(1);
    private static final UUID FUNCTION = UUID.randomUUID();

    /** Runnables the pool was given, and those of them that have returned (their worker left the hand-off). */
    private final AtomicInteger pooled = new AtomicInteger();
    private final AtomicInteger returned = new AtomicInteger();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>()) {
        @Override
        public void execute(Runnable command) {
            pooled.incrementAndGet();
            super.execute(command);
        }

        @Override
        protected void afterExecute(Runnable command, Throwable failure) {
            returned.incrementAndGet();
        }
    };
    private final AtomicBoolean quiet = new AtomicBoolean(true);
    private final AtomicBoolean coreToSpare = new AtomicBoolean(true);

    @AfterEach
    void stopThePool() {
        quiet.set(false);
        pool.shutdownNow();
    }

    /** Runs a call through the hand-off; completes with the name of the thread that ran it. */
    private static CompletableFuture<String> call(WorkerHandOff handOff) {
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        handOff.execute(FUNCTION, () -> ranOn.complete(Thread.currentThread().getName()));
        return ranOn;
    }

    @Test
    void aCallHandedOverWhileAWorkerLingersRunsOnThatWorkerWithoutThePool() {
        WorkerHandOff handOff = new WorkerHandOff(pool, LONG, quiet::get, coreToSpare::get);
        String first = call(handOff).join();
        await().until(handOff::lingering);

        quiet.set(false); // the second call is the last one to linger for
        String second = call(handOff).join();

        assertThat(second).isEqualTo(first);
        assertThat(pooled).hasValue(1);
        await().untilAsserted(() -> assertThat(returned).hasValue(1)); // the worker went back after it
    }

    @Test
    void onABusyServerEveryCallGoesToThePoolAndNoWorkerLingers() {
        quiet.set(false);

        assertEveryCallGoesToThePool();
    }

    @Test
    void whileEveryCoreHasARequestToWorkOnNoWorkerLingers() {
        coreToSpare.set(false);

        assertEveryCallGoesToThePool();
    }

    /** Two calls one after the other, with a spin long enough that a lingering worker would take the second. */
    private void assertEveryCallGoesToThePool() {
        WorkerHandOff handOff = new WorkerHandOff(pool, LONG, quiet::get, coreToSpare::get);
        call(handOff).join();
        await().untilAsserted(() -> assertThat(returned).hasValue(1)); // back without lingering: LONG did not pass

        call(handOff).join();

        assertThat(pooled).hasValue(2);
        assertThat(handOff.lingering()).isFalse();
    }

    @Test
    void aWorkerThatNobodyCallsGoesBackToThePoolAfterTheSpin() {
        WorkerHandOff handOff = new WorkerHandOff(pool, Duration.ofMillis(1), quiet::get, coreToSpare::get);
        call(handOff).join();

        await().untilAsserted(() -> assertThat(returned).hasValue(1));
        assertThat(handOff.lingering()).isFalse();
        quiet.set(false);
        call(handOff).join();
        assertThat(pooled).hasValue(2);
    }

    @Test
    void aWorkerDoesNotLingerAfterACallLongerThanTheSpin() {
        WorkerHandOff handOff = new WorkerHandOff(pool, Duration.ofSeconds(1), quiet::get, coreToSpare::get);
        CompletableFuture<Void> slow = new CompletableFuture<>();
        handOff.execute(FUNCTION, () -> {
            sleep(Duration.ofMillis(1_500));
            slow.complete(null);
        });
        slow.join();

        call(handOff).join(); // a worker lingering after the slow call would take it within its second

        assertThat(pooled).hasValue(2);
    }

    @Test
    void aCallPassedOnByTheCallOfAWorkerRunsNextOnThatWorkerOnceThatCallHasEnded() throws Exception {
        WorkerHandOff handOff = new WorkerHandOff(pool, Duration.ZERO, quiet::get, coreToSpare::get);
        AtomicBoolean firstEnded = new AtomicBoolean();
        CompletableFuture<String> firstRanOn = new CompletableFuture<>();
        CompletableFuture<String> nextRanOn = new CompletableFuture<>();
        AtomicBoolean nextSawTheFirstEnded = new AtomicBoolean();

        handOff.execute(FUNCTION, () -> {
            handOff.ending();
            handOff.executeNext(FUNCTION, () -> {
                nextSawTheFirstEnded.set(firstEnded.get());
                nextRanOn.complete(Thread.currentThread().getName());
            });
            firstRanOn.complete(Thread.currentThread().getName());
            firstEnded.set(true);
        });

        assertThat(nextRanOn.get(1, TimeUnit.MINUTES)).isEqualTo(firstRanOn.get());
        assertThat(nextSawTheFirstEnded).isTrue();
        assertThat(pooled).hasValue(1);
    }

    @Test
    void aCallPassedOnByAWorkerInTheMiddleOfItsCallGoesToThePoolAndDoesNotWaitForIt() throws Exception {
        WorkerHandOff handOff = new WorkerHandOff(pool, Duration.ZERO, quiet::get, coreToSpare::get);
        CompletableFuture<Void> firstMayEnd = new CompletableFuture<>();
        CompletableFuture<String> firstRanOn = new CompletableFuture<>();
        CompletableFuture<String> nextRanOn = new CompletableFuture<>();

        handOff.execute(FUNCTION, () -> { // as a function whose call of another frees a slot, then goes on
            firstRanOn.complete(Thread.currentThread().getName());
            handOff.executeNext(FUNCTION, () -> nextRanOn.complete(Thread.currentThread().getName()));
            firstMayEnd.join();
        });

        assertThat(nextRanOn.get(1, TimeUnit.MINUTES)).isNotEqualTo(firstRanOn.get()); // while the first still runs
        firstMayEnd.complete(null);
        assertThat(pooled).hasValue(2);
    }

    @Test
    void aCallPassedOnFromOutsideAWorkerGoesToThePool() throws Exception {
        WorkerHandOff handOff = new WorkerHandOff(pool, Duration.ZERO, quiet::get, coreToSpare::get);
        CompletableFuture<String> ranOn = new CompletableFuture<>();

        handOff.executeNext(FUNCTION, () -> ranOn.complete(Thread.currentThread().getName()));

        assertThat(ranOn.get(1, TimeUnit.MINUTES)).isNotEqualTo(Thread.currentThread().getName());
        assertThat(pooled).hasValue(1);
    }

    @Test
    void aCallPassedOnByACallThatThenFailsStillRuns() throws Exception {
        WorkerHandOff handOff = new WorkerHandOff(pool, Duration.ZERO, quiet::get, coreToSpare::get);
        CompletableFuture<String> nextRanOn = new CompletableFuture<>();

        handOff.execute(FUNCTION, () -> {
            handOff.ending();
            handOff.executeNext(FUNCTION, () -> nextRanOn.complete(Thread.currentThread().getName()));
            throw new IllegalStateException("the call that passed it on fails");
        });

        assertThat(nextRanOn.get(1, TimeUnit.MINUTES)).isNotNull();
        assertThat(pooled).hasValue(2);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aZeroSpinNeverLingers() {
        WorkerHandOff handOff = new WorkerHandOff(pool, Duration.ZERO, quiet::get, coreToSpare::get);
        call(handOff).join();
        await().untilAsserted(() -> assertThat(returned).hasValue(1));

        call(handOff).join();

        assertThat(pooled).hasValue(2);
    }

    @Test
    void aCallerWaitsForTheOutcomeOfAQuickFunctionWithoutParking() {
        WorkerHandOff handOff = new WorkerHandOff(pool, LONG, quiet::get, coreToSpare::get);
        handOff.ran(FUNCTION, 1_000);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
            caller.set(Thread.currentThread());
            handOff.awaitBriefly(outcome, FUNCTION, true);
        }, pool);

        await().until(() -> busyIn(caller.get(), "awaitBriefly")); // a parked caller would not be RUNNABLE
        assertThat(waited).isNotDone();
        outcome.complete("done");
        waited.join();
    }

    private static boolean busyIn(Thread thread, String method) {
        return thread != null && thread.getState() == Thread.State.RUNNABLE
                && Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals(method));
    }

    @Test
    void aCallerDoesNotWaitForAFunctionNotKnownToBeQuick() {
        WorkerHandOff handOff = new WorkerHandOff(pool, LONG, quiet::get, coreToSpare::get);

        handOff.awaitBriefly(new CompletableFuture<>(), FUNCTION, true); // returns, or the test times out

        handOff.ran(FUNCTION, 1_000);
        handOff.ran(FUNCTION, LONG.toNanos() + 1); // its latest call took longer than the spin
        handOff.awaitBriefly(new CompletableFuture<>(), FUNCTION, true);
    }

    @Test
    void aCallerWhoseCallIsNotTheOnlyOneRunningDoesNotWait() {
        WorkerHandOff handOff = new WorkerHandOff(pool, LONG, quiet::get, coreToSpare::get);
        handOff.ran(FUNCTION, 1_000);

        handOff.awaitBriefly(new CompletableFuture<>(), FUNCTION, false); // returns, or the test times out
    }

    @Test
    void aCallerDoesNotWaitWhileEveryCoreHasARequestToWorkOn() {
        // a spin longer than the test's timeout: a caller that waited would fail it
        WorkerHandOff handOff = new WorkerHandOff(pool, Duration.ofMinutes(10), quiet::get, coreToSpare::get);
        handOff.ran(FUNCTION, 1_000);
        coreToSpare.set(false);

        handOff.awaitBriefly(new CompletableFuture<>(), FUNCTION, true);
    }

    @Test
    void aCallerGivesUpWaitingAfterTheSpin() {
        WorkerHandOff handOff = new WorkerHandOff(pool, Duration.ofMillis(1), quiet::get, coreToSpare::get);
        handOff.ran(FUNCTION, 1_000);

        handOff.awaitBriefly(new CompletableFuture<>(), FUNCTION, true); // returns, or the test times out
    }
}
