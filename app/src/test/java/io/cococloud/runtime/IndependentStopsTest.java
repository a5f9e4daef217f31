package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stopping one call never delays the stop of another: a call stuck in a builtin that ignores cancellation
 * (a huge power) keeps only its own slot, while another project's timed-out call is stopped and its slot freed.
 */
class IndependentStopsTest {

    static PythonRuntime runtime;
    static final UUID STUCK_PROJECT = UUID.randomUUID();
    static final UUID OTHER_PROJECT = UUID.randomUUID();

    @BeforeAll
    static void start() {
        runtime = StandaloneRuntimes.start();
    }

    @AfterAll
    static void stop() {
        runtime.destroy();
    }

    @Test
    void aCallThatIgnoresCancellationDelaysNoOtherProjectsTimeout() {
        // Both projects warm, as in production: making a context is not what this is about.
        assertThat(runtime.run(invocation(STUCK_PROJECT, "def main():\n    return 1\n")).success()).isTrue();
        assertThat(runtime.run(invocation(OTHER_PROJECT, "def main():\n    return 1\n")).success()).isTrue();
        // Answered 504 after its timeout and grace while its builtin goes on: its stop is still in progress.
        Outcome stuck = runtime.run(invocation(STUCK_PROJECT, "def main():\n    return len(str(7 ** 30_000_000))\n"));
        assertThat(stuck.kind()).isEqualTo(Outcome.Kind.TIMEOUT);
        assertThat(runtime.runningCalls(STUCK_PROJECT)).as("the stuck call keeps its slot").isEqualTo(1);

        Outcome looping = runtime.run(invocation(OTHER_PROJECT, "def main():\n    while True:\n        pass\n"));

        assertThat(looping.kind()).isEqualTo(Outcome.Kind.TIMEOUT);
        assertThat(runtime.runningCalls(OTHER_PROJECT)).as("stopped and its slot freed, not left behind the stuck"
                + " call's stop").isZero();
        assertThat(runtime.runningCalls(STUCK_PROJECT)).as("the stuck call was still running all along").isEqualTo(1);
        Outcome next = runtime.run(invocation(OTHER_PROJECT, "def main():\n    return 'next'\n"));
        assertThat(next.resultJson()).isEqualTo("\"next\"");
    }

    private static Invocation invocation(UUID project, String code) {
        return StandaloneRuntimes.mainCall(project, code, Duration.ofSeconds(1));
    }
}
