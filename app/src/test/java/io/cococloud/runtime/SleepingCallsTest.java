package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sleeping call is stopped at its timeout like any other. GraalPy 25.2's time.sleep, given a float, went back to
 * sleep each time the stop interrupted it (spinning a core) until the whole sleep was over, so the call's slot
 * stayed taken; the prelude's time.sleep waits on a lock instead, whose timed wait the stop ends.
 */
class SleepingCallsTest {

    static PythonRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = StandaloneRuntimes.start();
    }

    @AfterAll
    static void stop() {
        runtime.destroy();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "def main():\n    time.sleep(1e6)\n",
            "def main():\n    time.sleep(10**6)\n",
            "from time import sleep\ndef main():\n    sleep(1e6)\n",
            "async def main():\n    await asyncio.sleep(1e6)\n"})
    void aSleepingCallIsStoppedAtItsTimeoutAndFreesItsSlot(String code) {
        UUID project = UUID.randomUUID();

        Outcome outcome = runtime.run(StandaloneRuntimes.mainCall(project, "import asyncio, time\n" + code,
                Duration.ofSeconds(1)));

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.TIMEOUT);
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.runningCalls(project) == 0);
    }

    @Test
    void sleepSleepsAtLeastAsLongAsAsked() {
        Outcome outcome = runtime.run(call("""
                import time
                def main():
                    start = time.monotonic()
                    time.sleep(0.3)
                    time.sleep(0)
                    return time.monotonic() - start >= 0.3
                """));

        assertThat(outcome.resultJson()).isEqualTo("true");
    }

    /**
     * GraalPy's timed lock wait returns at once when less than a millisecond is left, so the last millisecond of every
     * sleep was a busy loop: 200 sleeps of 1 ms used ~0.2 s of the worker's CPU (a polling loop, a core). Measured as
     * the calling thread's CPU time, which a loaded machine does not inflate.
     */
    @Test
    void shortSleepsDoNotSpinTheWorkersCore() {
        Outcome outcome = runtime.run(call("""
                import time
                def main():
                    cpu = time.thread_time()
                    for _ in range(200):
                        time.sleep(0.001)
                    return time.thread_time() - cpu
                """));

        assertThat(Double.parseDouble(outcome.resultJson())).isLessThan(0.05); // a fifth of the 0.2 s asked for
    }

    @Test
    void sleepRefusesWhatTheBuiltinRefusesWithItsMessages() {
        Outcome outcome = runtime.run(call("""
                import time
                def main():
                    errors = []
                    for bad in (-1, -0.5, float("nan"), "1", None):
                        try:
                            time.sleep(bad)
                        except (TypeError, ValueError) as error:
                            errors.append(f"{type(error).__name__}: {error}")
                    return errors
                """));

        assertThat(outcome.resultJson()).isEqualTo("[\"ValueError: sleep length must be non-negative\","
                + "\"ValueError: sleep length must be non-negative\","
                + "\"ValueError: Invalid value NaN (not a number)\","
                + "\"TypeError: 'str' object cannot be interpreted as an integer\","
                + "\"TypeError: 'NoneType' object cannot be interpreted as an integer\"]");
    }

    @Test
    void theBuiltinSleepIsNotWithinReachOfTheFunction() {
        Outcome outcome = runtime.run(call("""
                import time
                def main():
                    held = [cell.cell_contents for cell in time.sleep.__closure__ or ()]
                    return [repr(thing) for thing in held if getattr(thing, "__name__", None) == "sleep"]
                """));

        assertThat(outcome.resultJson()).isEqualTo("[]");
    }

    @Test
    void aTracebackThroughSleepShowsOnlyTheFunctionsOwnFrames() {
        Outcome outcome = runtime.run(call("""
                import time
                def main():
                    time.sleep("soon")
                """));

        assertThat(outcome.traceback()).contains("time.sleep(\"soon\")").doesNotContain("cococloud");
    }

    /** A call whose timeout a loaded machine cannot reach: these tests are not about it. */
    private static Invocation call(String code) {
        return StandaloneRuntimes.mainCall(UUID.randomUUID(), code, Duration.ofSeconds(30));
    }
}
