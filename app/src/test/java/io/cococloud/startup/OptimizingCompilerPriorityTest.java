package io.cococloud.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
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

/** Runs in this test's own JVM: its C2 compiler thread is lowered and given back (CI runs as root). */
class OptimizingCompilerPriorityTest {

    private static final Path THREADS = Path.of("/proc/self/task");

    @BeforeEach
    void needsLinuxAndTheRightToRaiseAPriority() {
        assumeTrue(Files.isDirectory(THREADS), "Linux only");
        assumeTrue("root".equals(System.getProperty("user.name")), "only root may give a priority back here");
    }

    @Test
    void lowersTheOptimizingCompilerToTheLowestPriorityUntilTheServerIsReady() throws IOException {
        Map<Integer, Integer> before = compilerThreadNiceValues();
        assertThat(before).isNotEmpty().doesNotContainValue(19);

        OptimizingCompilerPriority priority = OptimizingCompilerPriority.lowerUntilReady();
        assertThat(compilerThreadNiceValues().values()).containsOnly(19);

        priority.onApplicationEvent(new ApplicationStartedEvent(new SpringApplication(), new String[0], null,
                Duration.ZERO));
        assertThat(compilerThreadNiceValues().values()).as("started is not yet ready").containsOnly(19);

        priority.onApplicationEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], null,
                Duration.ZERO));
        assertThat(compilerThreadNiceValues()).isEqualTo(before);
    }

    @Test
    void givesThePriorityBackWhenTheStartFails() throws IOException {
        Map<Integer, Integer> before = compilerThreadNiceValues();
        OptimizingCompilerPriority priority = OptimizingCompilerPriority.lowerUntilReady();

        priority.onApplicationEvent(new ApplicationFailedEvent(new SpringApplication(), new String[0], null,
                new IllegalStateException("no database")));

        assertThat(compilerThreadNiceValues()).isEqualTo(before);
    }

    /** Thread id -> nice value (the 19th field of its stat line) of this JVM's C2 compiler threads. */
    private static Map<Integer, Integer> compilerThreadNiceValues() throws IOException {
        Map<Integer, Integer> nice = new HashMap<>();
        try (Stream<Path> tasks = Files.list(THREADS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (Files.readString(task.resolve("comm")).startsWith("C2 CompilerThre")) {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    nice.put(Integer.parseInt(task.getFileName().toString()), Integer.parseInt(fields[16]));
                }
            }
        }
        return nice;
    }
}
