package io.cococloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
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

import javax.tools.ToolProvider;

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
 * the operator's) are checked here, in a server of each kind, and so is the way classes on the loader path
 * ({@code COCO_LOADER_PATH}) join its context without a component scan. Run by Failsafe after {@code package}.
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

    @Test
    void classesOnTheLoaderPathJoinTheGeneratedContextThroughTheirSpringFactories() throws Exception {
        Path extension = compiledExtension();

        ServerProcess server = start(List.of("-Dloader.path=" + extension, "-cp", "target/cococloud.jar",
                "org.springframework.boot.loader.launch.PropertiesLauncher"));

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.port() + "/extension/hello")).build(), BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"message\":\"Hello from the loader path\"}");
    }

    /** The jar, as the launcher starts it, on this test's data dir; it must say it runs the generated code. */
    private ServerProcess start(String... arguments) throws IOException {
        return start(List.of("-jar", "target/cococloud.jar"), arguments);
    }

    /** As {@link #start(String...)}, the jar launched by {@code jarLaunch} (after the JVM's flags). */
    private ServerProcess start(List<String> jarLaunch, String... arguments) throws IOException {
        List<String> launch = new ArrayList<>(List.of("@" + Path.of("..", "jvm.options"), "-Xmx1g",
                "-Dspring.aot.enabled=true"));
        launch.addAll(jarLaunch);
        List<String> all = new ArrayList<>(List.of(arguments));
        all.add("--coco.data-dir=" + dataDir);
        ServerProcess server = ServerProcess.start(launch, all, Path.of("target", name + ".log"));
        servers.add(server);
        assertThat(server.output()).contains("Starting AOT-processed CocoCloudApplication");
        return server;
    }

    /**
     * A folder as an operator puts on COCO_LOADER_PATH (bench/bare is one): a controller outside the app's packages and
     * the initializer its META-INF/spring.factories names, compiled against this JVM's Spring libraries.
     */
    private Path compiledExtension() throws IOException {
        Path sources = Files.createDirectories(dataDir.resolve("extension-sources/extension"));
        Path classes = Files.createDirectories(dataDir.resolve("extension/META-INF")).getParent();
        Files.writeString(sources.resolve("HelloController.java"), """
                package extension;

                @org.springframework.web.bind.annotation.RestController
                public class HelloController {
                    @org.springframework.web.bind.annotation.GetMapping("/extension/hello")
                    public java.util.Map<String, String> hello() {
                        return java.util.Map.of("message", "Hello from the loader path");
                    }
                }
                """);
        Files.writeString(sources.resolve("Registration.java"), """
                package extension;

                public class Registration implements org.springframework.context.ApplicationContextInitializer<
                        org.springframework.context.support.GenericApplicationContext> {
                    @Override
                    public void initialize(org.springframework.context.support.GenericApplicationContext context) {
                        context.registerBean(HelloController.class);
                    }
                }
                """);
        Files.writeString(classes.resolve("META-INF/spring.factories"),
                "org.springframework.context.ApplicationContextInitializer=extension.Registration\n");
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), sources.resolve("HelloController.java").toString(),
                sources.resolve("Registration.java").toString());
        assertThat(status).as("the extension compiles").isZero();
        return classes;
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
