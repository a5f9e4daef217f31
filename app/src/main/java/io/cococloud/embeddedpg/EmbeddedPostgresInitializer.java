package io.cococloud.embeddedpg;

import java.nio.file.Path;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Begins the zero-config PostgreSQL's start ({@link EmbeddedPostgresStart}) before Spring makes any bean, and hands
 * it to {@link EmbeddedDatabaseConfiguration} as the bean {@code embeddedPostgresStart}, which the context closes.
 * Registered in {@code META-INF/spring.factories}, so every Spring Boot start has it.
 *
 * <p>The choice between the embedded server and the operator's database is made when the context refreshes, the
 * moment before its first bean, not when this initializer runs: initializers that come after it (a test's, pointing
 * the context at the suite's database) may still add settings, and only then are the configuration's bean
 * definitions all known (a context without the server's bean, another application's, starts none).
 */
public final class EmbeddedPostgresInitializer implements ApplicationContextInitializer<GenericApplicationContext> {

    @Override
    public void initialize(GenericApplicationContext context) {
        if (Boolean.getBoolean("spring.aot.processing")) {
            return; // the build's AOT processing only reads bean definitions: no server, so no database
        }
        context.addBeanFactoryPostProcessor(beanFactory -> {
            Environment settings = context.getEnvironment();
            if (!beanFactory.containsBeanDefinition(EmbeddedDatabaseConfiguration.SERVER_BEAN)) {
                return; // another application (a test's) on this class path
            }
            if (StringUtils.hasText(settings.getProperty("spring.datasource.url"))) {
                return; // the operator's database
            }
            EmbeddedPostgresStart start = EmbeddedPostgresStart.begin(
                    Path.of(settings.getRequiredProperty("coco.data-dir")).resolve("postgres"));
            // A singleton from the start (as the Python runtime's start): a context that fails before any bean
            // asks for the server still stops it, as the context destroys every registered singleton.
            DefaultListableBeanFactory beans = context.getDefaultListableBeanFactory();
            beans.registerSingleton(EmbeddedPostgresStart.BEAN_NAME, start);
            beans.registerDisposableBean(EmbeddedPostgresStart.BEAN_NAME, start::close);
        });
    }
}
