package io.cococloud.embeddedpg;

import java.nio.file.Path;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.StringUtils;

/**
 * Begins the {@link EmbeddedPostgresStart} once the context is prepared (its settings complete, a test's datasource
 * included), before Spring makes any bean, and hands it to {@link EmbeddedDatabaseConfiguration} as the bean
 * {@code embeddedPostgresStart}. Nothing starts when {@code spring.datasource.url} names a database, nor while the
 * build's AOT processing reads the bean definitions. Registered in {@code META-INF/spring.factories}.
 */
public final class EmbeddedPostgresStartListener implements ApplicationListener<ApplicationPreparedEvent> {

    static final String BEAN_NAME = "embeddedPostgresStart";

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        if (Boolean.getBoolean("spring.aot.processing")) {
            return;
        }
        ConfigurableApplicationContext context = event.getApplicationContext();
        Binder settings = Binder.get(context.getEnvironment());
        if (StringUtils.hasText(settings.bind("spring.datasource.url", String.class).orElse(null))) {
            return;
        }
        Path dataDir = settings.bind("coco.data-dir", Path.class).orElseThrow(
                () -> new IllegalStateException("coco.data-dir is not set"));
        EmbeddedPostgresStart start = EmbeddedPostgresStart.begin(EmbeddedDatabaseConfiguration.clusterHome(dataDir));
        // A singleton from the start, closed with the context even when a bean fails before the server's is made.
        DefaultListableBeanFactory beans = (DefaultListableBeanFactory) context.getBeanFactory();
        beans.registerSingleton(BEAN_NAME, start);
        beans.registerDisposableBean(BEAN_NAME, start::close);
    }
}
