package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handing calls to worker threads: a worker lingers after a call only on a quiet server, and a caller busy-waits
 * only for a function known to be quick. Long spins stand for "the other side comes in time": a spin ends as soon as
 * it does, so they cost nothing unless the behaviour is wrong.
 */
@Timeout(120)
class WorkerHandOffTest {

    private static final Duration LONG = Duration.ofMinutes(1);
    private static final UUID FUNCTION = UUID.randomUUID();

    private final ExecutorService pool = Executors.newCachedThreadPool();
    /** Runnables the pool was given, and those of them that have returned (their worker left the hand-off). */
    private final AtomicInteger pooled = new AtomicInteger();
    private final AtomicInteger returned = new AtomicInteger();
    private final ExecutorService counting = new AbstractExecutorService() {
        @Override
        public void execute(Runnable command) {
            pooled.incrementAndGet();
            pool.execute(() -> {
                try {
                    command.run();
                } finally {
                    returned.incrementAndGet();
                }
            });
        }

        @Override
        public void shutdown() {
            pool.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return pool.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return pool.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return pool.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return pool.awaitTermination(timeout, unit);
        }
    };
    private final AtomicBoolean quiet = new AtomicBoolean(true);

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
        WorkerHandOff handOff = new WorkerHandOff(counting, LONG, quiet::get);
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
        WorkerHandOff handOff = new WorkerHandOff(counting, LONG, quiet::get);
        call(handOff).join();
        await().untilAsserted(() -> assertThat(returned).hasValue(1)); // back without lingering: LONG did not pass

        call(handOff).join();

        assertThat(pooled).hasValue(2);
        assertThat(handOff.lingering()).isFalse();
    }

    @Test
    void aWorkerThatNobodyCallsGoesBackToThePoolAfterTheSpin() {
        WorkerHandOff handOff = new WorkerHandOff(counting, Duration.ofMillis(1), quiet::get);
        call(handOff).join();

        await().untilAsserted(() -> assertThat(returned).hasValue(1));
        assertThat(handOff.lingering()).isFalse();
        quiet.set(false);
        call(handOff).join();
        assertThat(pooled).hasValue(2);
    }

    @Test
    void aZeroSpinNeverLingers() {
        WorkerHandOff handOff = new WorkerHandOff(counting, Duration.ZERO, quiet::get);
        call(handOff).join();
        await().untilAsserted(() -> assertThat(returned).hasValue(1));

        call(handOff).join();

        assertThat(pooled).hasValue(2);
    }

    @Test
    void aCallerWaitsForTheOutcomeOfAQuickFunctionWithoutParking() {
        WorkerHandOff handOff = new WorkerHandOff(counting, LONG, quiet::get);
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
        WorkerHandOff handOff = new WorkerHandOff(counting, LONG, quiet::get);

        handOff.awaitBriefly(new CompletableFuture<>(), FUNCTION, true); // returns, or the test times out

        handOff.ran(FUNCTION, 1_000);
        handOff.ran(FUNCTION, LONG.toNanos() + 1); // its latest call took longer than the spin
        handOff.awaitBriefly(new CompletableFuture<>(), FUNCTION, true);
    }

    @Test
    void aCallerWhoseCallIsNotTheOnlyOneRunningDoesNotWait() {
        WorkerHandOff handOff = new WorkerHandOff(counting, LONG, quiet::get);
        handOff.ran(FUNCTION, 1_000);

        handOff.awaitBriefly(new CompletableFuture<>(), FUNCTION, false); // returns, or the test times out
    }

    @Test
    void aCallerGivesUpWaitingAfterTheSpin() {
        WorkerHandOff handOff = new WorkerHandOff(counting, Duration.ofMillis(1), quiet::get);
        handOff.ran(FUNCTION, 1_000);

        handOff.awaitBriefly(new CompletableFuture<>(), FUNCTION, true); // returns, or the test times out
    }
}
