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
        if (Boolean.getBoolean("spring.aot.processing")) {
            return; // the build's AOT processing only reads bean definitions: no server, so no Python
        }
        // RuntimeProperties is bound again later, with the beans; the engine and its first context need it now
        RuntimeProperties settings = Binder.get(context.getEnvironment())
                .bindOrCreate("coco.runtime", RuntimeProperties.class);
        PythonStart start = PythonStart.begin(settings);
        // A singleton from the start, not a definition made when first needed: a start that fails before any bean
        // asks for it still closes its engine, as the context destroys every registered singleton.
        context.getBeanFactory().registerSingleton("pythonStart", start);
        context.getDefaultListableBeanFactory().registerDisposableBean("pythonStart", start::close);
    }
}
