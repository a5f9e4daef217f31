package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.project.CallLimitOverrides;
import io.cococloud.template.TemplateRenderer;
import io.cococloud.web.RequestsInFlight;

/**
 * The Python engine begun before Spring's beans belongs to the context, however its start ends, is the one the
 * runtime's settings ask for, and never holds up a server's exit.
 */
class PythonStartInitializerTest {

    @Test
    void aStartThatFailsBeforeAnyBeanAskedForTheEngineStillClosesIt() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean("unmakeable", Object.class, () -> { // made first, so nothing asks for the engine
            throw new IllegalStateException("a bean that cannot be made");
        });
        new PythonStartInitializer().initialize(context);
        PythonStart start = (PythonStart) context.getBeanFactory().getSingleton("pythonStart");

        assertThatThrownBy(context::refresh).hasRootCauseMessage("a bean that cannot be made");

        PythonEngine engine = start.engine();
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThatThrownBy(engine::newCheckContext).isInstanceOf(IllegalStateException.class));
    }

    @Test
    void theRuntimeRefusesAnEngineMadeWithAnotherStatementLimit() {
        RuntimeProperties settings = settings(0);
        try (PythonStart start = PythonStart.begin(settings(1_000))) {
            assertThatThrownBy(() -> new PythonRuntime(settings,
                    new ProjectLimitSettings(settings, id -> CallLimitOverrides.NONE),
                    new TemplateRenderer("http://localhost"), null, null, JsonMapper.builder().build(),
                    "http://localhost", start, new RequestsInFlight()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("The Python engine was made with a statement limit of 1000, the settings say 0");
        }
    }

    @Test
    void theRuntimesFirstCallRunsInTheStartsFirstContext() {
        RuntimeProperties settings = settings(0);
        try (PythonStart start = PythonStart.begin(settings)) {
            SandboxedContext first = start.firstContext().join();
            PythonRuntime runtime = new PythonRuntime(settings,
                    new ProjectLimitSettings(settings, id -> CallLimitOverrides.NONE),
                    new TemplateRenderer("http://localhost"), null, null, JsonMapper.builder().build(),
                    "http://localhost", start, new RequestsInFlight());
            try {
                Outcome outcome = runtime.run(StandaloneRuntimes.mainCall(UUID.randomUUID(),
                        "def main():\n    return {'ok': True}\n", Duration.ofSeconds(30)));

                assertThat(outcome.kind()).as(outcome.error()).isEqualTo(Outcome.Kind.ENVELOPE);
                assertThat(first.loadedFunctions()).hasSize(1);
            } finally {
                runtime.destroy();
            }
        }
    }

    @Test
    void closingDoesNotWaitForAThreadThatNeverLeavesAContext() throws InterruptedException {
        PythonStart start = PythonStart.begin(settings(0));
        PythonEngine engine = start.engine();
        Context context = engine.newContext(new OutputCapture(4096, false), new OutputCapture(4096, false), null,
                engine.newFileSystem());
        CountDownLatch entered = new CountDownLatch(1);
        Thread.ofPlatform().daemon().start(() -> {
            context.enter();
            entered.countDown();
            LockSupport.park(); // never leaves, as a builtin that ignores cancellation (7 ** 30_000_000) does not
        });
        entered.await();

        assertTimeoutPreemptively(Duration.ofMinutes(1), start::close);
    }

    private static RuntimeProperties settings(long statementLimit) {
        return new RuntimeProperties(1, 8, Duration.ofSeconds(30), 10_000, Duration.ofMinutes(10), 1 << 20, 1 << 18,
                statementLimit, 8, Duration.ofSeconds(2), 0.75);
    }
}
