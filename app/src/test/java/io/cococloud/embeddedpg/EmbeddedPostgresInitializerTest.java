package io.cococloud.embeddedpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The zero-config PostgreSQL begins its start when the context refreshes, before any bean, where the server's bean is
 * defined and unless the settings name the operator's database by then; and it is stopped with the context, even one
 * that failed before asking for it.
 */
class EmbeddedPostgresInitializerTest {

    @TempDir
    Path dataDir;

    @BeforeEach
    void letPostgresUserPassThrough() throws IOException {
        // as root the cluster runs as nobody, who must pass through the data folder to reach it
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    @Test
    void withoutADatabaseUrlTheServerIsStartedBeforeAnyBeanAndStoppedWithTheContext() throws Exception {
        GenericApplicationContext context = withTheServersBean(anApplication());
        context.refresh();
        EmbeddedPostgres postgres = context.getBean(EmbeddedPostgresStart.class).await();
        assertThat(postgres.isUp()).isTrue();
        assertThat(postgres.home()).isEqualTo(dataDir.resolve("postgres").toRealPath());

        context.close();

        assertThat(postgres.isUp()).isFalse();
        assertThat(dataDir.resolve("postgres/pgdata/postmaster.pid")).doesNotExist();
    }

    @Test
    void aDatabaseUrlSetByAnInitializerThatRunsLaterMeansNoEmbeddedServer() {
        GenericApplicationContext context = withTheServersBean(anApplication());
        // as the suite's TestPostgres.Initializer does, after the initializers of spring.factories
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("later",
                Map.of("spring.datasource.url", "jdbc:postgresql://db.example:5432/cococloud")));

        refreshAndExpectNoServer(context);
    }

    @Test
    void aContextWithoutTheServersBeanStartsNoServer() {
        // another application on this class path (a test's probe JVM), which has CocoCloud's spring.factories too
        refreshAndExpectNoServer(anApplication());
    }

    @Test
    void aContextThatFailsBeforeAnyBeanAsksForTheServerStillStopsIt() {
        GenericApplicationContext context = anApplication();
        context.registerBean("broken", Object.class, () -> {
            throw new IllegalStateException("broken on purpose");
        });
        withTheServersBean(context);

        assertThatThrownBy(context::refresh).isInstanceOf(BeanCreationException.class);

        assertThat(dataDir.resolve("postgres/pgdata/PG_VERSION")).exists(); // it had started
        assertThat(dataDir.resolve("postgres/pgdata/postmaster.pid")).doesNotExist();
    }

    /** A context with the data folder set and the initializer applied, as a Spring Boot start has it. */
    private GenericApplicationContext anApplication() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(
                new MapPropertySource("settings", Map.of("coco.data-dir", dataDir.toString())));
        new EmbeddedPostgresInitializer().initialize(context);
        return context;
    }

    /** Adds the bean EmbeddedDatabaseConfiguration defines, made (as there) from the early start if any. */
    private static GenericApplicationContext withTheServersBean(GenericApplicationContext context) {
        context.registerBean(EmbeddedDatabaseConfiguration.SERVER_BEAN, EmbeddedPostgres.class, () -> {
            EmbeddedPostgresStart start = context.getBeanProvider(EmbeddedPostgresStart.class).getIfAvailable();
            try {
                return start == null ? null : start.await(); // none for the operator's database
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return context;
    }

    private void refreshAndExpectNoServer(GenericApplicationContext context) {
        context.refresh();
        assertThat(context.getBeanProvider(EmbeddedPostgresStart.class).getIfAvailable()).isNull();
        assertThat(dataDir.resolve("postgres")).doesNotExist();
        context.close();
    }
}
