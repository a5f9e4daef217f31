package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A runtime that shuts down answers every caller still waiting, whatever its call is doing. */
class RuntimeShutdownTest {

    @Test
    void aCallerWaitingOnACallThatIgnoresCancellationIsToldTheServerIsShuttingDown() throws Exception {
        PythonRuntime runtime = StandaloneRuntimes.start();
        UUID project = UUID.randomUUID();
        assertThat(runtime.run(StandaloneRuntimes.mainCall(project, "def main():\n    return 1\n",
                Duration.ofSeconds(5))).success()).isTrue();
        // A builtin that ignores cancellation (~30 s here), with a timeout far beyond it: the watchdog does not end
        // the wait, and the call itself ends only long after the shutdown (answered 504 then).
        Invocation stuck = StandaloneRuntimes.mainCall(project, "def main():\n    return len(str(7 ** 60_000_000))\n",
                Duration.ofMinutes(10));
        try (var caller = Executors.newVirtualThreadPerTaskExecutor()) { // as a request's thread
            CompletableFuture<Outcome> answer = CompletableFuture.supplyAsync(() -> runtime.run(stuck), caller);
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.runningCalls(project) == 1);

            runtime.destroy();

            Outcome outcome = answer.get(2, TimeUnit.MINUTES); // at once expected; the builtin alone takes longer
            assertThat(outcome.status()).isEqualTo(503);
            assertThat(outcome.error()).isEqualTo("Unavailable: the server is shutting down");
        }
    }
}
