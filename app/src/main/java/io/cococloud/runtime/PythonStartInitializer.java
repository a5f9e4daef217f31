package io.cococloud.runtime;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Begins the {@link PythonStart} as soon as a server's context has its settings, before Spring makes any bean, and
 * hands it to the {@link PythonRuntime} as the bean {@code pythonStart}, which the context closes. Registered in
 * {@code META-INF/spring.factories}, so every Spring Boot start has it (a test's context too).
 */
public final class PythonStartInitializer implements ApplicationContextInitializer<GenericApplicationContext> {

    @Override
    public void initialize(GenericApplicationContext context) {
        // RuntimeProperties is bound only later, with the beans; the engine needs this one setting now
        long statementLimit = Binder.get(context.getEnvironment())
                .bind("coco.runtime.statement-limit", Long.class).orElse(0L);
        PythonStart start = PythonStart.begin(statementLimit);
        context.registerBean("pythonStart", PythonStart.class, () -> start,
                definition -> definition.setDestroyMethodName("close"));
    }
}
