package io.cococloud.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;

/**
 * Runs in this test's own JVM: its C2 compiler threads are lowered and given back (CI runs as root). Compares nice
 * values, not thread ids: on a machine with more cores the JIT adds and removes C2 threads by itself.
 */
class OptimizingCompilerPriorityTest {

    private static final Path THREADS = Path.of("/proc/self/task");

    @BeforeEach
    void needsLinuxAndTheRightToRaiseAPriority() throws IOException {
        assumeTrue(Files.isDirectory(THREADS), "Linux only");
        String capabilities = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff:")).findFirst().orElseThrow().substring(7).strip();
        assumeTrue((Long.parseUnsignedLong(capabilities, 16) >>> 23 & 1) == 1, "needs root or CAP_SYS_NICE");
    }

    @Test
    void lowersTheOptimizingCompilerToTheLowestPriorityUntilShortlyAfterTheServerIsReady() throws IOException {
        Map<Integer, Integer> before = compilerThreadNiceValues();
        assertThat(before).isNotEmpty().doesNotContainValue(19);
        int original = before.values().iterator().next();

        OptimizingCompilerPriority priority = OptimizingCompilerPriority.lowerUntil(Duration.ofMillis(100));
        assertThat(compilerThreadNiceValues().values()).containsOnly(19);

        priority.onApplicationEvent(new ApplicationStartedEvent(new SpringApplication(), new String[0], null,
                Duration.ZERO));
        assertThat(compilerThreadNiceValues().values()).as("started is not yet ready").containsOnly(19);

        priority.onApplicationEvent(ready());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(compilerThreadNiceValues().values()).containsOnly(original));
    }

    @Test
    void keepsTheOptimizingCompilerLowForTheFirstCallsAfterTheServerIsReady() throws IOException {
        int original = compilerThreadNiceValues().values().iterator().next();
        OptimizingCompilerPriority priority = OptimizingCompilerPriority.lowerUntil(Duration.ofHours(1));
        try {
            priority.onApplicationEvent(ready());

            assertThat(compilerThreadNiceValues().values()).containsOnly(19);
        } finally {
            priority.onApplicationEvent(failed()); // gives it back at once, for the tests after this one
        }
        assertThat(compilerThreadNiceValues().values()).containsOnly(original);
    }

    @Test
    void givesThePriorityBackWhenTheStartFails() throws IOException {
        int original = compilerThreadNiceValues().values().iterator().next();
        OptimizingCompilerPriority priority = OptimizingCompilerPriority.lowerUntilReady();
        assertThat(compilerThreadNiceValues().values()).containsOnly(19);

        priority.onApplicationEvent(failed());

        assertThat(compilerThreadNiceValues().values()).containsOnly(original);
    }

    private static ApplicationReadyEvent ready() {
        return new ApplicationReadyEvent(new SpringApplication(), new String[0], null, Duration.ZERO);
    }

    private static ApplicationFailedEvent failed() {
        return new ApplicationFailedEvent(new SpringApplication(), new String[0], null,
                new IllegalStateException("no database"));
    }

    /** Thread id -> nice value (the 19th field of its stat line) of this JVM's C2 compiler threads. */
    private static Map<Integer, Integer> compilerThreadNiceValues() throws IOException {
        Map<Integer, Integer> nice = new HashMap<>();
        try (Stream<Path> tasks = Files.list(THREADS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("C2 CompilerThre")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        nice.put(Integer.parseInt(task.getFileName().toString()), Integer.parseInt(fields[16]));
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended after the listing (the JVM starts and ends threads all the time)
                }
            }
        }
        return nice;
    }
}
