package io.cococloud.embeddedpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-config database: a real PostgreSQL whose data survives a stop and a start, that never
 * outlives the JVM that started it, and whose throw-away clusters a later run reaps.
 */
class EmbeddedPostgresTest {

    @TempDir
    Path home;

    @Test
    void dataSurvivesARestart() throws Exception {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(home, false);
             Connection c = connect(first)) {
            c.createStatement().execute("CREATE TABLE kept (v text)");
            c.createStatement().execute("INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedPostgres second = EmbeddedPostgres.start(home, false);
             Connection c = connect(second);
             ResultSet rows = c.createStatement().executeQuery("SELECT v FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void thePasswordIsGeneratedAndReadableOnlyByItsOwner() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(home, false)) {
            Path passwordFile = home.toRealPath().resolve("password");
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(pg.password()).hasSizeGreaterThan(30);
            assertThat(Files.getPosixFilePermissions(passwordFile).stream().map(Enum::name))
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            assertThat(DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password()).isValid(1)).isTrue();
        }
    }

    @Test
    void whenTheJvmIsRootPostgresRunsAsAnUnprivilegedUser() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(home, false);
             Connection c = connect(pg)) {
            String owner = Files.getOwner(home.toRealPath().resolve("pgdata")).getName();
            String expected = "root".equals(System.getProperty("user.name")) ? "nobody"
                    : System.getProperty("user.name");
            assertThat(owner).isEqualTo(expected);
        }
    }

    @Test
    void aServerLeftRunningOnTheClusterIsStoppedAndReplaced() throws Exception {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(home, false)) {
            assertThat(first.isUp()).isTrue(); // creates the cluster
        }
        // A server started outside this JVM: by an older CocoCloud, or one whose JVM could not stop it.
        Path pgdata = home.toRealPath().resolve("pgdata");
        List<String> pgCtl = new ArrayList<>(EmbeddedPostgres.runAsPrefix());
        pgCtl.addAll(List.of(PostgresBinaries.locate().resolve("bin/pg_ctl").toString(), "start", "-w", "-D",
                pgdata.toString(), "-l", pgdata.resolve("leftover.log").toString(), "-o",
                "-p " + freePort() + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"));
        Process started = new ProcessBuilder(pgCtl).redirectErrorStream(true)
                .redirectOutput(home.resolve("pg_ctl.out").toFile()).start();
        assertThat(started.waitFor()).as(Files.readString(home.resolve("pg_ctl.out"))).isZero();
        long leftover = Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).getFirst().strip());
        assertThat(isRunning(leftover)).isTrue();

        try (EmbeddedPostgres next = EmbeddedPostgres.start(home, false);
             Connection c = connect(next)) {
            assertThat(c.isValid(1)).isTrue();
            assertThat(isRunning(leftover)).isFalse();
            assertThat(next.postmasterPid()).isNotEqualTo(leftover);
        }
    }

    @Test
    void aServerDiesWithItsKilledJvmAndTheNextRunReapsItsCluster() throws Exception {
        // Under a folder of this test's own, so no other run's clusters are touched.
        Process jvm = throwawayServerJvm();
        String[] started = awaitLine(jvm).split(" ");
        long postmaster = Long.parseLong(started[1]);
        Path cluster = Path.of(started[2]);
        assertThat(isRunning(postmaster)).isTrue();

        PostgresCrash.kill9(jvm.pid()); // as Surefire's halt, the OOM killer or kill -9 would

        await().atMost(Duration.ofSeconds(10)).until(() -> !isRunning(postmaster));
        assertThat(cluster).exists(); // nobody was left to delete it...
        assertThat(EmbeddedPostgres.reapLeftovers(home)).isEqualTo(1);
        assertThat(cluster).doesNotExist(); // ...until the next run
    }

    @Test
    void aTerminatedJvmStopsItsServerAndDeletesItsCluster() throws Exception {
        Process jvm = throwawayServerJvm();
        String[] started = awaitLine(jvm).split(" ");
        long postmaster = Long.parseLong(started[1]);

        jvm.destroy(); // SIGTERM
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> !isRunning(postmaster));
        assertThat(Path.of(started[2])).doesNotExist();
    }

    @Test
    void theClusterOfARunThatIsStillAliveIsNotReaped() throws Exception {
        makeHomeTraversable();
        try (EmbeddedPostgres alive = EmbeddedPostgres.startThrowaway(home)) {
            assertThat(EmbeddedPostgres.reapLeftovers(home)).isZero();
            assertThat(alive.home()).exists();
            assertThat(connect(alive).isValid(1)).isTrue();
        }
    }

    private Process throwawayServerJvm() throws IOException {
        makeHomeTraversable();
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ThrowawayServerMain.class.getName(), home.toRealPath().toString()).redirectErrorStream(true).start();
    }

    /** Throw-away clusters go in a folder under home, which PostgreSQL's user (nobody, under root) must pass. */
    private void makeHomeTraversable() throws IOException {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
    }

    /** The line the probe JVM prints once its server is up (its log lines come before). */
    private static String awaitLine(Process jvm) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = jvm.inputReader()) {
                String l;
                while ((l = out.readLine()) != null) {
                    if (l.startsWith("postmaster ")) {
                        return l;
                    }
                }
                throw new IllegalStateException("the probe JVM ended before its server was up");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return line.get(60, TimeUnit.SECONDS);
        } finally {
            // Keep draining its output so it never blocks on a full pipe.
            CompletableFuture.runAsync(() -> {
                try {
                    jvm.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // it was killed
                }
            });
        }
    }

    /** Alive and not a zombie (a killed server's parent may be slow to reap it). */
    static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Connection connect(EmbeddedPostgres pg) throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }
}
