package io.cococloud.embeddedpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The zero-config PostgreSQL starts once the context is prepared, before Spring makes any bean, and only when no
 * database is configured.
 */
class EmbeddedPostgresStartListenerTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutADatasourceTheServerStartsBeforeAnyBeanAndStopsWithTheContext() throws Exception {
        // as root, PostgreSQL runs as nobody, which must pass through the data dir
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx--x--x"));
        GenericApplicationContext context = prepared(Map.of("coco.data-dir", dataDir.toString()));

        EmbeddedPostgres server = begun(context).server();

        assertThat(server.isUp()).isTrue();
        assertThat(dataDir.resolve("postgres/pgdata")).isDirectory();
        context.getDefaultListableBeanFactory().destroySingletons(); // what closing the context does
        assertThat(server.isUp()).isFalse();
    }

    @Test
    void aConfiguredDatasourceStartsNoServer() {
        GenericApplicationContext context = prepared(Map.of("coco.data-dir", dataDir.toString(),
                "spring.datasource.url", "jdbc:postgresql://db.example:5432/cococloud"));

        assertThat(context.getBeanFactory().containsSingleton(EmbeddedPostgresStartListener.BEAN_NAME)).isFalse();
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }

    @Test
    void aStartThatFailsSaysWhyWhenTheServerIsAskedFor() throws Exception {
        Path notAFolder = Files.writeString(dataDir.resolve("data"), "a file where the data dir should be");
        GenericApplicationContext context = prepared(Map.of("coco.data-dir", notAFolder.toString()));

        assertThatThrownBy(() -> begun(context).server())
                .isInstanceOf(IOException.class);
    }

    private static EmbeddedPostgresStart begun(GenericApplicationContext context) {
        return (EmbeddedPostgresStart) context.getBeanFactory().getSingleton(EmbeddedPostgresStartListener.BEAN_NAME);
    }

    private static GenericApplicationContext prepared(Map<String, Object> settings) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", settings));
        new EmbeddedPostgresStartListener().onApplicationEvent(
                new ApplicationPreparedEvent(new SpringApplication(), new String[0], context));
        return context;
    }
}
