package io.cococloud.embeddedpg;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;

/**
 * The whole server on its own zero-config PostgreSQL (not the suite's shared database, and in a Spring
 * context of its own, closed after this class): the database is killed under a write load and kept from
 * coming back for a while. Meanwhile every surface answers 503 with Retry-After at once and health is
 * DOWN; then the server is back by itself and no acknowledged write is lost.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "coco.admin.email=" + AdminApi.ROOT_EMAIL,
        "coco.admin.password=" + AdminApi.ROOT_PASSWORD,
        "spring.datasource.url="})
@DirtiesContext
class DatabaseOutageTest {

    private static final Duration BACK_WITHIN = Duration.ofSeconds(10);
    /**
     * Under the temporary folder rather than target/: as root the cluster runs as nobody, who cannot pass through a
     * private folder holding the checkout (a clone made in {@code mktemp -d}).
     */
    private static final Path DATA_DIR = Path.of(System.getProperty("java.io.tmpdir"),
            "cococloud-outage-test-" + UUID.randomUUID());

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedPostgres postgres;

    @DynamicPropertySource
    static void ownDataDirectory(DynamicPropertyRegistry registry) {
        registry.add("coco.data-dir", DATA_DIR::toString);
    }

    @AfterAll
    static void deleteTheDataOnceTheServerIsStopped() {
        // @DirtiesContext closes the context (stopping its PostgreSQL) after this method: delete the cluster
        // later, with Boot's handlers that run once every context is closed.
        SpringApplication.getShutdownHandlers().add(() -> {
            try {
                PostgresBinaries.deleteTree(DATA_DIR);
            } catch (IOException e) {
                System.err.println("Could not delete " + DATA_DIR + ": " + e);
            }
        });
    }

    @Test
    void whileTheDatabaseIsDownRequestsGet503AtOnceThenItIsBackAndNoAcknowledgedWriteIsLost() throws Exception {
        assertThat(Files.exists(DATA_DIR.resolve("postgres/pgdata/PG_VERSION"))).isTrue();
        Functions functions = Functions.inNewProject(port);
        String hello = functions.deploy("def main():\n    return 'hello'\n");
        AdminApi owner = functions.owner();
        String variables = API + "/projects/" + functions.projectId() + "/variables";

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        for (int i = 0; i < 2; i++) {
            writers.submit(() -> {
                while (writing.get() && acknowledged.size() < 400) { // a project holds up to 500 variables
                    String name = "V_" + next.incrementAndGet();
                    try {
                        if (owner.put(variables + "/" + name, Map.of("value", name)).status() == 201) {
                            acknowledged.add(name);
                            continue;
                        }
                    } catch (RuntimeException e) {
                        // a connection cut by the crash: not acknowledged
                    }
                    pauseAfterRefusal();
                }
            });
        }
        await().atMost(BACK_WITHIN).until(() -> acknowledged.size() >= 10);

        try (ServerSocket squatter = PostgresCrash.killAndTakeThePort(postgres)) {
            await().atMost(BACK_WITHIN).until(() -> !postgres.isUp());

            AdminApi.Response health = quickly(() -> AdminApi.anonymous(port).get("/actuator/health"));
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asString()).isEqualTo("DOWN");
            assertThat(quickly(() -> AdminApi.anonymous(port).get("/actuator/health/readiness")).status())
                    .isEqualTo(503);

            AdminApi.Response admin = quickly(() -> owner.get(variables));
            assertThat(admin.status()).isEqualTo(503);
            assertThat(admin.header("Retry-After")).isEqualTo("2");
            assertThat(admin.header("Content-Type")).startsWith("application/problem+json");
            assertThat(admin.json().get("type").asString()).isEqualTo("urn:cococloud:problem:database-unavailable");

            AdminApi.Response client = quickly(() -> functions.call("GET", "/collections/posts/documents", null,
                    Map.of("x-api-key", "any")));
            assertThat(client.status()).isEqualTo(503);
            assertThat(client.header("Retry-After")).isEqualTo("2");
            assertThat(client.header("Content-Type")).startsWith("application/problem+json");

            AdminApi.Response execution = quickly(() -> functions.get(hello, ""));
            assertThat(execution.status()).isEqualTo(503);
            assertThat(execution.header("Retry-After")).isEqualTo("2");
            assertThat(execution.json().get("error").asString()).isEqualTo("ServiceUnavailable");
        }

        await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> AdminApi.anonymous(port).get("/actuator/health").status() == 200);
        int writtenWhenBack = acknowledged.size();
        await().atMost(BACK_WITHIN).until(() -> acknowledged.size() >= writtenWhenBack + 10);
        writing.set(false);
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        assertThat(functions.get(hello, "").expect(200).json().get("result").asString()).isEqualTo("hello");
        Set<String> stored = new HashSet<>();
        owner.get(variables).expect(200).json()
                .forEach(v -> stored.add(v.get("name").asString()));
        assertThat(stored).as("every acknowledged write survives the crash").containsAll(acknowledged);
        assertThat(postgres.restarts()).isEqualTo(1);
    }

    private static void pauseAfterRefusal() {
        try {
            Thread.sleep(20); // a client's backoff after a refused write, not a wait for an outcome
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The response, which must come without waiting for a pool connection (Hikari's timeout is 5 s). */
    private static AdminApi.Response quickly(Supplier<AdminApi.Response> request) {
        long started = System.nanoTime();
        AdminApi.Response response = request.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered at once")
                .isLessThan(Duration.ofSeconds(2));
        return response;
    }
}
