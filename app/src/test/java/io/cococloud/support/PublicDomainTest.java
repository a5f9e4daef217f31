package io.cococloud.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.util.Map;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole server with projects on origins of their own: {@code coco.public-domain=localhost:{port}}, so
 * {@code {slug}.localhost:{port}} is a project's host (browsers resolve {@code *.localhost} to the loopback
 * address by themselves), {@code localhost:{port}} the console's and {@code 127.0.0.1:{port}} a shared host. The
 * port must be known before the context starts, so one is picked once per run; every class with this annotation
 * shares the context, and it shares the run's PostgreSQL with every other context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "coco.admin.email=" + AdminApi.ROOT_EMAIL,
        "coco.admin.password=" + AdminApi.ROOT_PASSWORD,
        "coco.data-dir=target/test-data"})
@ContextConfiguration(initializers = {TestPostgres.Initializer.class, PublicDomainTest.Initializer.class})
public @interface PublicDomainTest {

    /** Picks the port and sets the server's port, console and public domain from it. */
    class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        private static int port;

        static synchronized int port() {
            if (port == 0) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return port;
        }

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            int p = port();
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("publicDomain", Map.of(
                    "server.port", p,
                    "coco.base-url", "http://localhost:" + p,
                    "coco.public-domain", "localhost:" + p)));
        }
    }
}
