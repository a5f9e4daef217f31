package io.cococloud.embeddedpg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;

/**
 * A real PostgreSQL server run from binaries, for the zero-config server and for tests without
 * Docker. Layout of its home folder: {@code pgdata/} (the cluster), {@code password} (readable
 * by the JVM's user only) and {@code postgres.log}.
 *
 * <p>PostgreSQL refuses to run as root, so when the JVM is root every PostgreSQL command runs
 * through {@code setpriv} as {@code nobody}, and the cluster folder belongs to that user.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "postgres";
    public static final String DATABASE = "cococloud";

    private final Path bin;
    private final Path home;
    private final Path pgdata;
    private final boolean durable;
    private final List<String> runAs;
    private final String password;
    private final int port;
    private volatile boolean stopped;
    private boolean deleteOnClose;

    private EmbeddedPostgres(Path bin, Path home, boolean durable, List<String> runAs, String password, int port) {
        this.bin = bin;
        this.home = home;
        this.pgdata = home.resolve("pgdata");
        this.durable = durable;
        this.runAs = runAs;
        this.password = password;
        this.port = port;
    }

    /**
     * Starts PostgreSQL with its cluster under {@code home}, creating the cluster on first use.
     *
     * @param durable {@code false} turns off fsync and friends: for throw-away test data only
     */
    public static EmbeddedPostgres start(Path home, boolean durable) throws IOException {
        long started = System.nanoTime();
        Path installation = PostgresBinaries.locate();
        Files.createDirectories(home);
        home = home.toRealPath();
        List<String> runAs = isRoot() ? unprivilegedPrefix() : List.of();
        if (!runAs.isEmpty()) {
            // nobody must pass through home to reach pgdata, but may not list it or read the password.
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
        }
        String password = readOrCreatePassword(home.resolve("password"));
        EmbeddedPostgres pg = new EmbeddedPostgres(installation.resolve("bin"), home, durable, runAs, password,
                freePort());
        pg.initIfNeeded();
        pg.stopLeftoverServer();
        pg.startServer();
        pg.createDatabaseIfMissing();
        log.info("PostgreSQL started from {} on port {} with data in {} ({} ms)", installation, pg.port, pg.pgdata,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return pg;
    }

    /** A server on a fresh temporary cluster without fsync, deleted when closed: for tests. */
    public static EmbeddedPostgres startThrowaway() throws IOException {
        EmbeddedPostgres pg = start(Files.createTempDirectory("cococloud-pg-"), false);
        pg.deleteOnClose = true;
        // No Spring context owns a test server: stop it when the test JVM ends, but only after the contexts
        // using it have closed (Boot runs these handlers then). A JVM shutdown hook of its own would run
        // beside theirs and pull the database away while they still flush and stop.
        SpringApplication.getShutdownHandlers().add(pg::close);
        return pg;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** Stops the server (fast shutdown: open sessions are ended, committed data is kept). */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            pgCtl("stop", "-m", "fast", "-w", "-t", "60");
            log.info("PostgreSQL stopped ({})", pgdata);
            if (deleteOnClose) {
                PostgresBinaries.deleteTree(home);
            }
        } catch (RuntimeException | IOException e) {
            log.warn("Could not stop PostgreSQL cleanly: {}", e.getMessage());
        }
    }

    private void initIfNeeded() throws IOException {
        if (Files.exists(pgdata.resolve("PG_VERSION"))) {
            return;
        }
        PostgresBinaries.deleteTree(pgdata); // a half-initialised cluster from an interrupted first run
        Files.createDirectories(pgdata, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path pwfile = home.resolve("initdb-password");
        Files.writeString(pwfile, password, StandardCharsets.UTF_8);
        try {
            if (!runAs.isEmpty()) {
                chownToUnprivileged(pgdata);
                chownToUnprivileged(pwfile);
                requireReachable(pgdata);
            }
            List<String> initdb = new ArrayList<>(List.of(bin.resolve("initdb").toString(), "-D", pgdata.toString(),
                    "-U", SUPERUSER, "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--no-locale"));
            if (!durable) {
                initdb.add("--no-sync");
            }
            run(initdb);
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /** A server left running by a JVM that was killed would hold the cluster: stop it first. */
    private void stopLeftoverServer() {
        if (exitCode(command(bin.resolve("pg_ctl").toString(), "status", "-D", pgdata.toString())) == 0) {
            log.warn("A PostgreSQL server from an earlier run still holds {}; stopping it", pgdata);
            pgCtl("stop", "-m", "fast", "-w", "-t", "60");
        }
    }

    private void startServer() throws IOException {
        Path logFile = home.resolve("postgres.log");
        if (!Files.exists(logFile)) {
            Files.createFile(logFile);
        }
        if (!runAs.isEmpty()) {
            chownToUnprivileged(logFile);
        }
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + " -c max_connections=200"
                + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        pgCtl("start", "-w", "-t", "60", "-l", logFile.toString(), "-o", options);
    }

    private void createDatabaseIfMissing() {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, SUPERUSER, password)) {
            var exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                c.createStatement().execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL started but the database could not be created: "
                    + e.getMessage(), e);
        }
    }

    private void pgCtl(String action, String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), action, "-D", pgdata.toString()));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private void run(List<String> cmd) {
        Process p = startProcess(command(cmd.toArray(String[]::new)));
        String output = readAll(p);
        int code = waitFor(p);
        if (code != 0) {
            throw new IllegalStateException("`" + String.join(" ", cmd) + "` failed (exit " + code + "):\n" + output
                    + "\nSee also " + home.resolve("postgres.log"));
        }
    }

    private int exitCode(List<String> cmd) {
        Process p = startProcess(cmd);
        readAll(p);
        return waitFor(p);
    }

    private List<String> command(String... cmd) {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(List.of(cmd));
        return full;
    }

    private static Process startProcess(List<String> cmd) {
        try {
            // PostgreSQL's own processes must not inherit the JVM's stdout: they outlive commands.
            return new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + cmd.getFirst(), e);
        }
    }

    private static String readAll(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int waitFor(Process p) {
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> unprivilegedPrefix() {
        return List.of("setpriv", "--reuid=nobody", "--regid=" + unprivilegedGroup(), "--clear-groups");
    }

    private static String unprivilegedGroup() {
        UserPrincipalLookupService lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
        for (String name : List.of("nogroup", "nobody")) {
            try {
                lookup.lookupPrincipalByGroupName(name);
                return name;
            } catch (IOException e) {
                // try the next name
            }
        }
        throw new IllegalStateException("Running as root, but neither group nogroup nor nobody exists");
    }

    private static void chownToUnprivileged(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user;
        GroupPrincipal group;
        try {
            user = lookup.lookupPrincipalByName("nobody");
            group = lookup.lookupPrincipalByGroupName(unprivilegedGroup());
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("Running as root, but there is no user nobody to run PostgreSQL as", e);
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }

    /** Gives a clear message instead of initdb's when a private parent folder (e.g. /root) hides the cluster. */
    private void requireReachable(Path dir) {
        if (exitCode(command("test", "-w", dir.toString())) != 0) {
            throw new IllegalStateException("PostgreSQL refuses to run as root, so it runs as user nobody, which cannot"
                    + " reach " + dir + " (a parent folder is private). Set coco.data-dir (COCO_DATA_DIR) to a"
                    + " folder outside a private home, e.g. /var/lib/cococloud, or run as a normal user.");
        }
    }

    private static String readOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Files.writeString(file, password, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return password;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
