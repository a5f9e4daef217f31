package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * Calls of a project beyond its slots wait in its queue, and the call that frees a slot starts the oldest of them on
 * its own worker (ProjectPoolTest and WorkerHandOffTest give the two halves): each caller still gets its own call's
 * outcome, and every slot comes back.
 */
class QueuedCallsTest {

    private static final int CALLS = 10; // two running, eight queued: the project's whole queue

    @Test
    void everyQueuedCallOfABusyProjectIsAnsweredWithItsOwnOutcome() throws Exception {
        PythonRuntime runtime = StandaloneRuntimes.startWithSlots(2);
        UUID project = UUID.randomUUID();
        FunctionCode echo = FunctionCode.mainFunction(project, UUID.randomUUID(), "f", 1,
                "import time\ndef main():\n    time.sleep(0.02)\n    return request.json()['n']\n",
                Duration.ofSeconds(30));
        var callers = Executors.newVirtualThreadPerTaskExecutor(); // as requests' threads
        try {
            List<CompletableFuture<Outcome>> calls = IntStream.range(0, CALLS)
                    .mapToObj(n -> CompletableFuture.supplyAsync(() -> runtime.run(Invocation.of(echo, "POST", "/",
                            List.of(Map.entry("Content-Type", "application/json")), List.of(),
                            ("{\"n\": " + n + "}").getBytes(StandardCharsets.UTF_8), null)), callers))
                    .toList();

            for (int n = 0; n < CALLS; n++) {
                Outcome outcome = calls.get(n).get(2, TimeUnit.MINUTES);
                assertThat(outcome.kind()).as("call %d: %s", n, outcome.error()).isEqualTo(Outcome.Kind.ENVELOPE);
                assertThat(outcome.resultJson()).isEqualTo(Integer.toString(n));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.runningCalls(project) == 0);
        } finally {
            runtime.destroy();
            callers.close();
        }
    }
}
