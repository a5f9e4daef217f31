package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Loading a version into a context (its module-level code: a framework's import takes seconds) happens outside any
 * call's timeout, under a load timeout of its own; a caller waits for it at most the warm-up wait, then gets a 503
 * with Retry-After while the loading goes on, and a later call finds the version warm.
 */
class VersionLoadingRuntimeTest {

    private PythonRuntime runtime;

    @AfterEach
    void stop() {
        runtime.destroy();
    }

    /** A main() function whose module-level code runs {@code atImport} first. */
    private static FunctionCode function(String atImport, Duration timeout) {
        return FunctionCode.mainFunction(UUID.randomUUID(), UUID.randomUUID(), "slow", 1, """
                import time
                %s
                def main():
                    return 'warm'
                """.formatted(atImport), timeout);
    }

    private Outcome call(FunctionCode function) {
        return runtime.run(Invocation.of(function, "GET", "/", List.of(), List.of(), new byte[0], null));
    }

    @Test
    void aCallWhoseCodeIsStillLoadingAfterTheWarmUpWaitGets503WithRetryAfterAndALaterCallFindsItWarm() {
        runtime = StandaloneRuntimes.startLoading(Duration.ofMinutes(2), Duration.ofSeconds(1));
        FunctionCode function = function("time.sleep(8)  # an import far longer than the warm-up wait",
                Duration.ofSeconds(30));

        Outcome first = call(function);

        assertThat(first.kind()).isEqualTo(Outcome.Kind.BUSY);
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.headers()).containsKey("Retry-After");
        assertThat(first.error()).startsWith("Starting: the function's code is still loading");
        await().atMost(Duration.ofMinutes(1)).until(() -> "\"warm\"".equals(call(function).resultJson()));
    }

    @Test
    void loadingDoesNotCountAgainstTheCallsTimeout() {
        runtime = StandaloneRuntimes.startLoading(Duration.ofMinutes(2), Duration.ofMinutes(1));
        FunctionCode function = function("time.sleep(10)  # twice the call's timeout", Duration.ofSeconds(5));

        Outcome outcome = call(function);

        assertThat(outcome.error()).as("traceback: %s", outcome.traceback()).isNull();
        assertThat(outcome.resultJson()).isEqualTo("\"warm\"");
    }

    /** A main() function that prints and logs at module level, then prints when called. */
    private static FunctionCode chattyFunction() {
        return FunctionCode.mainFunction(UUID.randomUUID(), UUID.randomUUID(), "chatty", 1, """
                import sys
                print("imported")
                sys.stderr.write("loading\\n")
                def main():
                    print("called")
                    return 'warm'
                """, Duration.ofSeconds(30));
    }

    private void warmUp(FunctionCode function) {
        runtime.prewarm(function);
        await().atMost(Duration.ofMinutes(1))
                .until(() -> runtime.pools().containsKey(function.projectId())
                        && runtime.pools().get(function.projectId()).hasIdleContextWith(function.key()));
    }

    @Test
    void aBurstOfDeploysInOneProjectIsWarmedInOneContext() {
        runtime = StandaloneRuntimes.startWithSlots(4); // slots enough for a context per deploy
        UUID project = UUID.randomUUID();
        List<FunctionCode> deployed = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) { // each import outlasts the deploys after it: they would overlap
            FunctionCode function = FunctionCode.mainFunction(project, UUID.randomUUID(), "f" + i, 1, """
                    import time
                    time.sleep(0.5)
                    def main():
                        return 'warm'
                    """, Duration.ofSeconds(30));
            deployed.add(function);
            runtime.prewarm(function);
        }

        await().atMost(Duration.ofMinutes(1)).until(() -> deployed.stream()
                .allMatch(function -> runtime.pools().get(project).hasIdleContextWith(function.key())));

        assertThat(runtime.pools().get(project).liveContexts()).isEqualTo(1);
    }

    @Test
    void whatAVersionsWarmUpPrintedAndLoggedIsInItsFirstCallsOutputAndLogs() {
        runtime = StandaloneRuntimes.start();
        FunctionCode function = chattyFunction();
        warmUp(function);

        Outcome first = call(function);

        assertThat(first.output()).isEqualTo("imported\ncalled\n");
        assertThat(first.logs()).isEqualTo("loading\n");
    }

    @Test
    void onlyTheFirstCallAfterAWarmUpReportsWhatItPrinted() {
        runtime = StandaloneRuntimes.start();
        FunctionCode function = chattyFunction();
        warmUp(function);
        call(function);

        Outcome second = call(function);

        assertThat(second.output()).isEqualTo("called\n");
        assertThat(second.logs()).isEmpty();
    }

    @Test
    void whatALoadPrintedAfterItsCallerWasToldToComeBackIsInTheFirstCallThatRuns() {
        runtime = StandaloneRuntimes.startLoading(Duration.ofMinutes(2), Duration.ofSeconds(1));
        FunctionCode function = function("print('imported')\ntime.sleep(8)  # longer than the warm-up wait",
                Duration.ofSeconds(30));
        assertThat(call(function).kind()).isEqualTo(Outcome.Kind.BUSY);

        Outcome firstToRun = await().atMost(Duration.ofMinutes(1))
                .until(() -> call(function), outcome -> outcome.kind() != Outcome.Kind.BUSY);

        assertThat(firstToRun.resultJson()).isEqualTo("\"warm\"");
        assertThat(firstToRun.output()).isEqualTo("imported\n");
    }

    @Test
    void codeThatNeverFinishesLoadingIsStoppedAtTheLoadTimeout() {
        runtime = StandaloneRuntimes.startLoading(Duration.ofSeconds(2), Duration.ofMinutes(1));
        FunctionCode function = function("while True:\n    time.sleep(0.1)", Duration.ofSeconds(1));

        Outcome outcome = call(function);

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.TIMEOUT);
        assertThat(outcome.status()).isEqualTo(504);
        assertThat(outcome.error()).isEqualTo("The function's code did not finish loading within 2 s (its"
                + " module-level code and imports)");
    }
}
