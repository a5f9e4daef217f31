package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.CocoCloudApplication;
import io.cococloud.support.Functions;
import io.cococloud.support.ServerProcess;
import io.cococloud.support.TestPostgres;

/**
 * An accepted async call survives its server (issue 11 §4): whole server JVMs, started one after the other on a
 * database of their own on the test run's PostgreSQL (which outlives them), the first killed with SIGKILL while
 * one call runs and another waits behind it. The next server runs both. (A database of their own: the servers
 * of other test classes, in this JVM, would otherwise take the calls over themselves, as any node may.)
 */
class AsyncRestartTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final List<ServerProcess> servers = new ArrayList<>();
    private final String database = "async_restart_" + UUID.randomUUID().toString().replace("-", "");

    @BeforeEach
    void createDatabase() throws SQLException {
        sql("CREATE DATABASE " + database);
    }

    @AfterEach
    void stopServers() throws InterruptedException, SQLException {
        servers.forEach(ServerProcess::close);
        sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void sql(String statement) throws SQLException {
        Map<String, Object> run = TestPostgres.properties();
        try (Connection connection = DriverManager.getConnection((String) run.get("spring.datasource.url"),
                (String) run.get("spring.datasource.username"), (String) run.get("spring.datasource.password"));
                Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    /** The run's JDBC URL with this test's database in place of its own. */
    private String databaseUrl() {
        String url = (String) TestPostgres.properties().get("spring.datasource.url");
        return url.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
    }

    @Test
    void aServerKilledWhileOneCallRunsAndAnotherWaitsRunsBothAfterARestart() throws Exception {
        // One worker: the second call cannot start while the first runs.
        ServerProcess first = start(1, "--coco.async.threads=1");
        Functions functions = Functions.inNewProject(first.port());
        String gated = functions.deploy(AsyncInvocationTest.GATED, Map.of("timeout_s", 300));
        String opener = functions.deploy(AsyncInvocationTest.OPENER);
        String gate = UUID.randomUUID().toString();
        String running = functions.call("POST", "/functions/" + gated + "/async-invoke/", Map.of("gate", gate),
                Map.of()).expect(202).json().get("execution_id").asString();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> execution(first, functions, gated, running).get("status").asString().equals("running"));
        String waiting = functions.call("POST", "/functions/" + gated + "/async-invoke/", Map.of("gate", gate),
                Map.of()).expect(202).json().get("execution_id").asString();
        assertThat(execution(first, functions, gated, waiting).get("status").asString()).isEqualTo("queued");

        first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the queue
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

        ServerProcess second = start(2);
        long ready = System.nanoTime();
        // The gate opens only now, on the new server: no attempt of the first could have finished. A new server's
        // first context may still be loading (on a loaded machine, beyond the warm-up wait): then the opener is told
        // 503 with Retry-After, as any caller would be, and tries again.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> second.send("POST",
                "/functions/" + opener + "/execute", Map.of("gate", gate), null).statusCode() == 200);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> List.of(running,
                waiting).stream().allMatch(id -> !execution(second, functions, gated, id).get("status").asString()
                        .matches("queued|running")));
        System.out.printf("[async-restart] both calls finished %.1f s after the second server was ready%n",
                (System.nanoTime() - ready) / 1e9);

        JsonNode revived = execution(second, functions, gated, running);
        assertThat(revived.get("status").asString()).isEqualTo("success");
        assertThat(revived.get("attempts").asInt()).as("the killed attempt and the one after the restart")
                .isEqualTo(2);
        assertThat(revived.get("output").asString()).isEqualTo("through " + gate + "\n");
        JsonNode queued = execution(second, functions, gated, waiting);
        assertThat(queued.get("status").asString()).isEqualTo("success");
        assertThat(queued.get("attempts").asInt()).isEqualTo(1);
        assertThat(queued.get("output").asString()).isEqualTo("through " + gate + "\n");
    }

    @Test
    void twoServersOnOneDatabaseRunEachAcceptedCallExactlyOnce() throws Exception {
        ServerProcess a = start(3);
        ServerProcess b = start(4);
        Functions functions = Functions.inNewProject(a.port());
        // Each run leaves a document: a call run twice would leave two.
        String recorder = functions.deploy("""
                def main():
                    n = request.get('n')
                    db.create_document('runs', {'n': n, 'at': time.time()})
                    time.sleep(0.3)
                    return n
                """);
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            ServerProcess accepting = n % 2 == 0 ? a : b;
            HttpResponse<String> accepted = accepting.send("POST", "/functions/" + recorder + "/async-invoke/",
                    Map.of("n", String.valueOf(n)), null);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            ids.add(JSON.readTree(accepted.body()).get("execution_id").asString());
        }

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> ids.stream()
                .allMatch(id -> execution(a, functions, recorder, id).get("status").asString().equals("success")));
        for (String id : ids) {
            assertThat(execution(b, functions, recorder, id).get("attempts").asInt()).isEqualTo(1);
        }
        HttpResponse<String> runs = a.send("POST", "/functions/" + functions.deploy("""
                def main():
                    rows = db.query('runs', limit=1000)['data']
                    return sorted(int(r['n']) for r in rows)
                """) + "/execute", Map.of(), null);
        assertThat(runs.statusCode()).as(runs.body()).isEqualTo(200);
        List<Integer> ran = new ArrayList<>();
        JSON.readTree(runs.body()).get("result").forEach(n -> ran.add(n.asInt()));
        assertThat(ran).as("every call ran once, none twice").isEqualTo(java.util.stream.IntStream.range(0, 40)
                .boxed().toList());
    }

    /** The execution record through the admin API of {@code server}, with the project owner's token. */
    private static JsonNode execution(ServerProcess server, Functions functions, String functionId,
            String executionId) {
        HttpResponse<String> response = server.send("GET", functions.functionsPath() + "/" + functionId
                + "/executions/" + executionId, null, functions.owner().bearerToken());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A whole CocoCloud server in its own JVM, on this test's database of the run's PostgreSQL, ready to serve. */
    private ServerProcess start(int number, String... extra) throws IOException {
        Map<String, Object> run = TestPostgres.properties();
        List<String> arguments = new ArrayList<>(List.of("--spring.datasource.url=" + databaseUrl(),
                "--spring.datasource.username=" + run.get("spring.datasource.username"),
                "--spring.datasource.password=" + run.get("spring.datasource.password"),
                "--coco.data-dir=target/" + database));
        arguments.addAll(List.of(extra));
        ServerProcess server = ServerProcess.start(List.of("--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), CocoCloudApplication.class.getName()), arguments,
                Path.of("target", "async-restart-server-" + number + ".log"));
        servers.add(server);
        return server;
    }
}
