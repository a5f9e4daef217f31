package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.project.CallLimitOverrides;
import io.cococloud.template.TemplateRenderer;

/**
 * The Python engine begun before Spring's beans belongs to the context, however its start ends, and is the one the
 * runtime's settings ask for.
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
        RuntimeProperties settings = new RuntimeProperties(1, 8, Duration.ofSeconds(30), 10_000,
                Duration.ofMinutes(10), 1 << 20, 1 << 18, 0, 8, Duration.ofSeconds(2), 0.75);
        try (PythonStart start = PythonStart.begin(1_000)) {
            assertThatThrownBy(() -> new PythonRuntime(settings,
                    new ProjectLimitSettings(settings, id -> CallLimitOverrides.NONE),
                    new TemplateRenderer("http://localhost"), null, null, JsonMapper.builder().build(),
                    "http://localhost", start))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("The Python engine was made with a statement limit of 1000, the settings say 0");
        }
    }
}
