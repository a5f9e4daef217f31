package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.cococloud.project.ProjectDeleted;
import io.cococloud.runtime.FrameworkAppsRuntimeTest.Bundle;
import io.cococloud.support.FcHttpExamples;

/**
 * A closed context gives back what importing a framework took: its code comes from bytecode the server compiled once
 * (the standard library's and the version's own), which every context shares, instead of being compiled from source
 * in each context, which GraalPy 25.2 keeps after the context is closed (~105 MB per Flask context).
 */
@Tag("frameworks") // a JVM of its own, so that the heap measured is this test's alone
class ClosedFrameworkContextsTest {

    static final long MB = 1 << 20;
    static PythonRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = StandaloneRuntimes.start(Duration.ofMinutes(10), 0);
    }

    @AfterAll
    static void stop() {
        runtime.destroy();
    }

    @Test
    void tenFlaskContextsCreatedAndClosedLeaveTheHeapWithinFiftyMegabytesOfWhereItWas() {
        Bundle bundle = Bundle.of("flask", "").with(Map.of("index.py", FcHttpExamples.FLASK), Map.of());
        FunctionCode function = bundle.function("wsgi", "index.py", "handler");
        answerInAFreshContext(function); // the engine's first context, and the bytecode made once
        long start = usedAfterCollection();

        for (int i = 0; i < 10; i++) {
            answerInAFreshContext(function);
        }

        // Closing happens on the runtime's own threads: wait until what the contexts held has been collected.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> usedAfterCollection() - start < 50 * MB);
    }

    /** A call that imports Flask in a new context of the project, which is then closed (the project deleted). */
    private static void answerInAFreshContext(FunctionCode function) {
        Outcome outcome = runtime.run(new Invocation(function, "req-1", "GET", "", "", "/", "", List.of(), List.of(),
                new byte[0], Map.of(), null, Invocation.Peer.LOCAL, null));
        assertThat(outcome.error()).as("traceback: %s", outcome.traceback()).isNull();
        assertThat(new String(outcome.body(), StandardCharsets.UTF_8)).isEqualTo("Web App with Python Flask!");
        runtime.projectDeleted(new ProjectDeleted(function.projectId()));
    }

    private static long usedAfterCollection() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
