package io.cococloud.runtime;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import io.cococloud.project.CallLimitOverrides;
import io.cococloud.template.TemplateRenderer;

/**
 * A {@link PythonRuntime} without Spring, for the tests of the runtime itself: no database, mail or secrets behind
 * it, one call at a time per project (so a project's functions share one context, as in production), outputs and
 * logs of 1 MB and 256 KB, and a heap guard at three quarters of the heap.
 */
final class StandaloneRuntimes {

    private StandaloneRuntimes() {}

    /** Queued calls wait up to 30 s; no statement limit. */
    static PythonRuntime start() {
        return start(Duration.ofSeconds(30), 0);
    }

    /**
     * @param queueTimeout   how long a call waits for its project's slot (long, for calls that import a framework)
     * @param statementLimit Python statements per call, 0 for none
     */
    static PythonRuntime start(Duration queueTimeout, long statementLimit) {
        return start(new RuntimeProperties(1, 8, queueTimeout, 10_000, Duration.ofMinutes(10),
                1 << 20, 1 << 18, statementLimit, 8, Duration.ofSeconds(2), 0.75));
    }

    /** A runtime whose projects have {@code slots} call slots each (the server's default is 4) instead of one. */
    static PythonRuntime startWithSlots(int slots) {
        return start(new RuntimeProperties(slots, 8, Duration.ofSeconds(30), 10_000, Duration.ofMinutes(10),
                1 << 20, 1 << 18, 0, 8, Duration.ofSeconds(2), 0.75));
    }

    /**
     * @param loadTimeout how long loading a version may take
     * @param warmUpWait  how long a call waits for its version to load before a 503
     */
    static PythonRuntime startLoading(Duration loadTimeout, Duration warmUpWait) {
        return start(new RuntimeProperties(1, 8, Duration.ofMinutes(2), 10_000, Duration.ofMinutes(10),
                1 << 20, 1 << 18, 0, 8, Duration.ofSeconds(2), 0.75, loadTimeout, warmUpWait,
                Duration.ofNanos(500_000)));
    }

    /** A GET of a main() function with the given code, as project {@code project}'s. */
    static Invocation mainCall(UUID project, String code, Duration timeout) {
        FunctionCode function = FunctionCode.mainFunction(project, UUID.randomUUID(), "f", 1, code, timeout);
        return Invocation.of(function, "GET", "/", List.of(), List.of(), new byte[0], null);
    }

    private static PythonRuntime start(RuntimeProperties settings) {
        return new PythonRuntime(settings, new ProjectLimitSettings(settings, id -> CallLimitOverrides.NONE),
                new TemplateRenderer("http://localhost"), null, null, JsonMapper.builder().build(),
                "http://localhost");
    }
}
