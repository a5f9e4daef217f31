package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.project.CallLimitOverrides;
import io.cococloud.template.TemplateRenderer;

/** The runtime on its own, with a small statement limit: it trips per call, not per context. */
class StatementLimitTest {

    static PythonRuntime runtime;
    static final UUID PROJECT = UUID.randomUUID();

    @BeforeAll
    static void start() {
        RuntimeProperties settings = new RuntimeProperties(2, 4, Duration.ofSeconds(30), 10_000,
                Duration.ofMinutes(10), 1 << 20, 1 << 18, 300_000, 4, Duration.ofSeconds(2), 0.75);
        runtime = new PythonRuntime(settings, new ProjectLimitSettings(settings, id -> CallLimitOverrides.NONE),
                new TemplateRenderer("http://localhost"), null, null,
                JsonMapper.builder().build(), "http://localhost");
    }

    @AfterAll
    static void stop() {
        runtime.destroy();
    }

    @Test
    void aCallPastTheLimitEndsWithAClearError() {
        Outcome outcome = run("def main():\n    n = 0\n    while True:\n        n += 1\n");
        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.ERROR);
        assertThat(outcome.error()).isEqualTo("StatementLimit: the call ran more than 300000 Python statements");
    }

    @Test
    void theCountStartsAfreshForEveryCall() {
        String code = "def main():\n    total = 0\n    for i in range(50_000):\n        total += i\n    return total\n";
        FunctionCode function = function(code);
        for (int i = 0; i < 10; i++) {
            Outcome outcome = runtime.run(invocation(function));
            assertThat(outcome.kind()).as("call %d: %s", i, outcome.error()).isEqualTo(Outcome.Kind.ENVELOPE);
            assertThat(outcome.resultJson()).isEqualTo("1249975000");
        }
    }

    private static Outcome run(String code) {
        return runtime.run(invocation(function(code)));
    }

    private static FunctionCode function(String code) {
        return FunctionCode.mainFunction(PROJECT, UUID.randomUUID(), "limited", 1, code, Duration.ofSeconds(20));
    }

    private static Invocation invocation(FunctionCode function) {
        return Invocation.of(function, "GET", "/", List.of(), List.of(), "".getBytes(StandardCharsets.UTF_8), null);
    }
}
