package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;

/** The Python engine begun before Spring's beans belongs to the context, however its start ends. */
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
}
