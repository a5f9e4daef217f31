package io.cococloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import io.cococloud.support.Functions;
import io.cococloud.support.ServerProcess;
import io.cococloud.support.TestPostgres;

/**
 * The jar the build made, started as {@code ./cococloud run} and the image start it: with the bean definitions Spring
 * AOT generated at build time ({@code -Dspring.aot.enabled=true}). Generated definitions fix every
 * {@code @Conditional} with the build's settings, so the choices a setting makes at start (the embedded PostgreSQL or
 * the operator's) are checked here, in a server of each kind. Run by Failsafe after {@code package}.
 */
class SpringAotServerIT {

    private static final String HELLO = "def main():\n    return {'message': 'Hello, World!'}\n";

    private final String name = "spring_aot_" + UUID.randomUUID().toString().replace("-", "");
    /**
     * Under the temporary folder rather than target/: as root the embedded cluster runs as nobody, who cannot pass
     * through a private folder holding the checkout (a clone made in {@code mktemp -d}).
     */
    private final Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "cococloud-" + name);
    private final List<ServerProcess> servers = new ArrayList<>();
    private boolean databaseCreated;

    @AfterEach
    void stopServers() throws SQLException {
        servers.forEach(ServerProcess::close);
        if (databaseCreated) {
            sql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        try {
            FileSystemUtils.deleteRecursively(dataDir);
        } catch (IOException e) {
            System.err.println("Could not delete " + dataDir + ": " + e);
        }
    }

    @Test
    void theBuiltServerRunsOnTheOperatorsDatabaseWhenOneIsNamed() throws Exception {
        sql("CREATE DATABASE " + name);
        databaseCreated = true;
        Map<String, Object> run = TestPostgres.properties();
        ServerProcess server = start("--spring.datasource.url=" + databaseUrl(),
                "--spring.datasource.username=" + run.get("spring.datasource.username"),
                "--spring.datasource.password=" + run.get("spring.datasource.password"));

        String hello = answersHello(server);

        try (Connection connection = connect(databaseUrl());
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM functions WHERE id = ?")) {
            query.setObject(1, UUID.fromString(hello));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).as("the function is stored in the named database").isEqualTo(1);
            }
        }
        assertThat(dataDir.resolve("postgres")).as("no PostgreSQL of its own").doesNotExist();
    }

    @Test
    void theBuiltServerStartsItsOwnPostgresWhenNoDatabaseIsNamed() throws Exception {
        ServerProcess server = start();

        answersHello(server);

        assertThat(dataDir.resolve("postgres")).as("its own cluster, under the data dir").isDirectory();
    }

    /** The jar, as the launcher starts it, on this test's data dir; it must say it runs the generated code. */
    private ServerProcess start(String... arguments) throws IOException {
        List<String> launch = List.of("@" + Path.of("..", "jvm.options"), "-Xmx1g", "-Dspring.aot.enabled=true",
                "-jar", "target/cococloud.jar");
        List<String> all = new ArrayList<>(List.of(arguments));
        all.add("--coco.data-dir=" + dataDir);
        ServerProcess server = ServerProcess.start(launch, all, Path.of("target", name + ".log"));
        servers.add(server);
        assertThat(server.output()).contains("Starting AOT-processed CocoCloudApplication");
        return server;
    }

    /** Deploys hello in a new project and calls it; answers the function's id. */
    private static String answersHello(ServerProcess server) {
        Functions functions = Functions.inNewProject(server.port());
        String hello = functions.deploy(HELLO);
        assertThat(functions.get(hello, "").expect(200).json().get("result").get("message").asString())
                .isEqualTo("Hello, World!");
        return hello;
    }

    /** The run's JDBC URL with this test's database in place of its own. */
    private String databaseUrl() {
        String url = (String) TestPostgres.properties().get("spring.datasource.url");
        return url.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = connect((String) TestPostgres.properties().get("spring.datasource.url"));
                Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static Connection connect(String url) throws SQLException {
        Map<String, Object> run = TestPostgres.properties();
        return DriverManager.getConnection(url, (String) run.get("spring.datasource.username"),
                (String) run.get("spring.datasource.password"));
    }
}
