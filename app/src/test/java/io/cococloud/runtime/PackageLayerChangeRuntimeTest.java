package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.cococloud.project.ProjectPackagesChanged;

/**
 * When a project's package layer changes, the runtime lets go of what it imported from the old one: the project's
 * idle contexts close at once, a context running a call finishes it and closes when given back, and the project's
 * pool stays for the next call. The same version with another layer is other code, loaded anew in a context that
 * ran the old one. (One call at a time per project here, so a project's calls share one context.)
 */
class PackageLayerChangeRuntimeTest {

    /** Answers whether this context ran the function before: sys outlives the calls of one context. */
    private static final String REMEMBERS_ITS_CONTEXT = """
            import sys

            def handle(req):
                seen = getattr(sys, 'cococloud_test_seen', False)
                sys.cococloud_test_seen = True
                return {"status_code": 200, "body": "seen" if seen else "new"}
            """;

    static PythonRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = StandaloneRuntimes.start();
    }

    @AfterAll
    static void stop() {
        runtime.destroy();
    }

    private static FunctionCode function(UUID project, UUID id, Map<String, String> files, String layer) {
        return new FunctionCode(project, id, "f", 1, "handle", "index.py", "handle", files, Duration.ofSeconds(30),
                Map.of(), layer);
    }

    private static String answer(FunctionCode function) {
        Outcome outcome = runtime.run(new Invocation(function, "req-1", "GET", "", "", "/", "", List.of(), List.of(),
                new byte[0], Map.of(), null, Invocation.Peer.LOCAL, null));
        assertThat(outcome.error()).as("traceback: %s", outcome.traceback()).isNull();
        return new String(outcome.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aLayerChangeClosesTheProjectsIdleContextsAndKeepsItsPool() {
        UUID project = UUID.randomUUID();
        FunctionCode function = function(project, UUID.randomUUID(), Map.of("index.py", REMEMBERS_ITS_CONTEXT), "");
        assertThat(answer(function)).isEqualTo("new");
        assertThat(answer(function)).as("the same warm context").isEqualTo("seen");
        int before = runtime.liveContexts();

        runtime.packagesChanged(new ProjectPackagesChanged(project));

        assertThat(runtime.liveContexts()).isEqualTo(before - 1);
        assertThat(answer(function)).as("a new context, from the same pool").isEqualTo("new");
    }

    @Test
    void aCallRunningWhenTheLayerChangesFinishesAndItsContextClosesWhenItIsDone() {
        UUID project = UUID.randomUUID();
        FunctionCode slow = function(project, UUID.randomUUID(), Map.of("index.py", """
                import time

                def handle(req):
                    started = time.time()
                    while time.time() - started < 1.5:
                        pass
                    return {"status_code": 200, "body": "finished"}
                """), "");
        int before = runtime.liveContexts();
        // the project's context exists and is idle: the slow call takes it at once (one being made is not yet seen)
        assertThat(answer(function(project, UUID.randomUUID(), Map.of("index.py", REMEMBERS_ITS_CONTEXT), "")))
                .isEqualTo("new");
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> answer(slow));
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.runningCalls(project) == 1);

        runtime.packagesChanged(new ProjectPackagesChanged(project));

        assertThat(running.join()).isEqualTo("finished");
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.liveContexts() == before);
    }

    @Test
    void theSameVersionWithAnotherLayerIsLoadedAnewInAContextThatRanTheOldOne() {
        UUID project = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        String index = "import greeter\n\ndef handle(req):\n    return {'status_code': 200, 'body': greeter.VERSION}\n";
        FunctionCode withOne = function(project, id, Map.of("index.py", index,
                "python_packages/greeter/__init__.py", "VERSION = '1.0'\n"), "layer-one");
        FunctionCode withTwo = function(project, id, Map.of("index.py", index,
                "python_packages/greeter/__init__.py", "VERSION = '2.0'\n"), "layer-two");
        assertThat(answer(withOne)).isEqualTo("1.0");

        // no change event: a call that read the version before the change may run after it, in any context
        assertThat(answer(withTwo)).isEqualTo("2.0");
        assertThat(answer(withOne)).isEqualTo("1.0");
    }
}
