package io.cococloud.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;

/**
 * Runs in this test's own JVM: its C2 compiler threads are lowered and given back (CI runs as root). Compares
 * scheduling policies, not thread ids: on a machine with more cores the JIT adds and removes C2 threads by itself.
 */
class OptimizingCompilerPriorityTest {

    private static final Path THREADS = Path.of("/proc/self/task");
    private static final int SCHED_OTHER = 0; // Linux's usual policy
    private static final int SCHED_IDLE = 5; // runs only on a core nothing else wants

    @BeforeEach
    void needsLinuxAndTheRightToRaiseAPriority() throws IOException {
        assumeTrue(Files.isDirectory(THREADS), "Linux only");
        String capabilities = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff:")).findFirst().orElseThrow().substring(7).strip();
        assumeTrue((Long.parseUnsignedLong(capabilities, 16) >>> 23 & 1) == 1, "needs root or CAP_SYS_NICE");
    }

    @Test
    void runsTheOptimizingCompilerOnlyOnIdleCoresUntilShortlyAfterTheServerIsReady() throws IOException {
        assertThat(compilerThreadPolicies()).isNotEmpty().containsOnly(SCHED_OTHER);

        OptimizingCompilerPriority priority = OptimizingCompilerPriority.lowerUntil(Duration.ofMillis(100));
        assertThat(compilerThreadPolicies()).containsOnly(SCHED_IDLE);

        priority.onApplicationEvent(new ApplicationStartedEvent(new SpringApplication(), new String[0], null,
                Duration.ZERO));
        assertThat(compilerThreadPolicies()).as("started is not yet ready").containsOnly(SCHED_IDLE);

        priority.onApplicationEvent(ready());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(compilerThreadPolicies()).containsOnly(SCHED_OTHER));
    }

    @Test
    void keepsTheOptimizingCompilerLowForTheFirstCallsAfterTheServerIsReady() throws IOException {
        OptimizingCompilerPriority priority = OptimizingCompilerPriority.lowerUntil(Duration.ofHours(1));
        try {
            priority.onApplicationEvent(ready());

            assertThat(compilerThreadPolicies()).containsOnly(SCHED_IDLE);
        } finally {
            priority.onApplicationEvent(failed()); // gives it back at once, for the tests after this one
        }
        assertThat(compilerThreadPolicies()).containsOnly(SCHED_OTHER);
    }

    @Test
    void givesThePriorityBackWhenTheStartFails() throws IOException {
        OptimizingCompilerPriority priority = OptimizingCompilerPriority.lowerUntilReady();
        assertThat(compilerThreadPolicies()).containsOnly(SCHED_IDLE);

        priority.onApplicationEvent(failed());

        assertThat(compilerThreadPolicies()).containsOnly(SCHED_OTHER);
    }

    private static ApplicationReadyEvent ready() {
        return new ApplicationReadyEvent(new SpringApplication(), new String[0], null, Duration.ZERO);
    }

    private static ApplicationFailedEvent failed() {
        return new ApplicationFailedEvent(new SpringApplication(), new String[0], null,
                new IllegalStateException("no database"));
    }

    /** The scheduling policy (the 41st field of its stat line) of each of this JVM's C2 compiler threads. */
    private static List<Integer> compilerThreadPolicies() throws IOException {
        List<Integer> policies = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(THREADS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("C2 CompilerThre")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        policies.add(Integer.parseInt(fields[38]));
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended after the listing (the JVM starts and ends threads all the time)
                }
            }
        }
        return policies;
    }
}
