package io.cococloud.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import io.cococloud.embeddedpg.EmbeddedPostgres;

/**
 * The one real PostgreSQL of a test run, shared by every Spring context and test class:
 * <ol>
 * <li>COCO_TEST_DATABASE_URL (with _USERNAME and _PASSWORD) when set;</li>
 * <li>else a Testcontainers PostgreSQL when a Docker engine answers;</li>
 * <li>else the server's own zero-config PostgreSQL, on a throw-away cluster.</li>
 * </ol>
 */
public final class TestPostgres {

    private static Map<String, Object> properties;

    private TestPostgres() {}

    public static synchronized Map<String, Object> properties() {
        if (properties == null) {
            ExitWatch.install();
            properties = start();
        }
        return properties;
    }

    private static Map<String, Object> start() {
        String url = System.getenv("COCO_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return datasource(url, System.getenv().getOrDefault("COCO_TEST_DATABASE_USERNAME", "postgres"),
                    System.getenv().getOrDefault("COCO_TEST_DATABASE_PASSWORD", ""));
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
            container.start(); // stopped by Testcontainers' Ryuk when the JVM ends
            return datasource(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.startThrowaway();
            return datasource(postgres.jdbcUrl(), postgres.username(), postgres.password());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL for the tests", e);
        }
    }

    private static Map<String, Object> datasource(String url, String username, String password) {
        return Map.of("spring.datasource.url", url, "spring.datasource.username", username,
                "spring.datasource.password", password);
    }

    /** Points a test's Spring context at the shared PostgreSQL. */
    public static class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("testPostgres", properties()));
        }
    }
}
