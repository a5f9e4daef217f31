package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A call waiting for one of its project's slots waits no longer than the queue timeout: the runtime's watchdog ends
 * the wait (it has no timer of its own). The slot's holder sleeps for ten minutes, far beyond the one-second wait.
 */
class QueueTimeoutTest {

    @Test
    void aCallWaitingForItsProjectsSlotBeyondTheQueueTimeoutIsToldTheProjectIsBusy() throws Exception {
        PythonRuntime runtime = StandaloneRuntimes.start(Duration.ofSeconds(1), 0); // one slot per project
        UUID project = UUID.randomUUID();
        var callers = Executors.newVirtualThreadPerTaskExecutor(); // as requests' threads
        try {
            CompletableFuture.supplyAsync(() -> runtime.run(StandaloneRuntimes.mainCall(project,
                    "import time\ndef main():\n    time.sleep(600)\n", Duration.ofMinutes(15))), callers);
            await().atMost(Duration.ofSeconds(60)).until(() -> runtime.runningCalls(project) == 1);

            Outcome queued = CompletableFuture.supplyAsync(() -> runtime.run(StandaloneRuntimes.mainCall(project,
                    "def main():\n    return 1\n", Duration.ofSeconds(5))), callers).get(2, TimeUnit.MINUTES);

            assertThat(queued.kind()).isEqualTo(Outcome.Kind.BUSY);
            assertThat(queued.status()).isEqualTo(503);
            assertThat(queued.error()).isEqualTo("Busy: no call slot of this project freed up within 1 s; try again"
                    + " shortly");
        } finally {
            runtime.destroy(); // ends the sleeping call, and so its caller
            callers.close();
        }
    }
}
