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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;

/**
 * A real PostgreSQL server run from binaries, for the zero-config server and for tests without
 * Docker. Layout of its home folder: {@code pgdata/} (the cluster), {@code password} (readable
 * by the JVM's user only), {@code postgres.log} and, for a throw-away cluster, {@code owner} (the
 * JVM it belongs to, so that a later run can reap it when that JVM was killed).
 *
 * <p>PostgreSQL refuses to run as root, so when the JVM is root every PostgreSQL command runs
 * through {@code setpriv} as {@code nobody}, and the cluster folder belongs to that user.
 *
 * <p><b>Supervised.</b> The postmaster is a child of this JVM, started and watched by a thread of
 * its own. When it dies (a crash, {@code kill -9}, the OOM killer) the server is marked down at
 * once, listeners hear of it, and it is started again on the same data directory, where
 * PostgreSQL's crash recovery replays the WAL: no committed transaction is lost. Restarts that
 * fail (the old server's processes still hold its shared memory, the port is taken) are retried
 * with a growing pause, up to {@link #MAX_RETRY_PAUSE}.
 *
 * <p><b>Dies with the JVM.</b> Where {@code setpriv} can set it, the postmaster gets a
 * parent-death signal (SIGINT, PostgreSQL's fast shutdown) tied to the watching thread, which
 * lives exactly as long as the server should: even a JVM killed with SIGKILL leaves no server
 * behind. Without it, a server left running is stopped by the next start on the same cluster.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "postgres";
    public static final String DATABASE = "cococloud";
    /** Folder name prefix of throw-away clusters under {@code java.io.tmpdir}. */
    static final String THROWAWAY_PREFIX = "cococloud-pg-";
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY_PAUSE = Duration.ofMillis(100);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path bin;
    private final Path home;
    private final Path pgdata;
    private final boolean durable;
    private final List<String> runAs;
    private final String password;
    private final int port;
    private volatile boolean stopped;
    private boolean deleteOnClose;

    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstStart = new CompletableFuture<>();
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean up;
    private volatile Process postmaster;
    private Thread supervisor;

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
        pg.startSupervised();
        pg.createDatabaseIfMissing();
        log.info("PostgreSQL started from {} on port {} with data in {} ({} ms)", installation, pg.port, pg.pgdata,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return pg;
    }

    /**
     * A server on a fresh temporary cluster under {@code java.io.tmpdir} without fsync, deleted when
     * closed: for tests. Reaps first what killed runs left there.
     */
    public static EmbeddedPostgres startThrowaway() throws IOException {
        return startThrowaway(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static EmbeddedPostgres startThrowaway(Path parent) throws IOException {
        reapLeftovers(parent);
        Path home = Files.createTempDirectory(parent, THROWAWAY_PREFIX);
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(home.resolve("owner"), self.pid() + " " + startInstant(self), StandardCharsets.UTF_8);
        EmbeddedPostgres pg = start(home, false);
        pg.deleteOnClose = true;
        // No Spring context owns a test server: stop it when the test JVM ends, but only after the contexts
        // using it have closed (Boot runs these handlers then). A JVM shutdown hook of its own would run
        // beside theirs and pull the database away while they still flush and stop. Should the JVM never get
        // there (killed, or halted by Surefire), the parent-death signal stops the server and the next run
        // deletes the folder.
        SpringApplication.getShutdownHandlers().add(pg::close);
        return pg;
    }

    /**
     * Deletes the throw-away clusters under {@code parent} whose JVM is gone (killed before it could
     * close them), first stopping a server still running there. Clusters of live JVMs, and folders
     * without an {@code owner} file, are left alone.
     *
     * @return how many were reaped
     */
    static int reapLeftovers(Path parent) {
        int reaped = 0;
        try (Stream<Path> dirs = Files.list(parent)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(THROWAWAY_PREFIX)).toList()) {
                if (reapIfOrphaned(dir)) {
                    reaped++;
                }
            }
        } catch (IOException e) {
            log.warn("Could not look for leftover test clusters in {}: {}", parent, e.getMessage());
        }
        return reaped;
    }

    private static boolean reapIfOrphaned(Path dir) {
        String owner;
        try {
            owner = Files.readString(dir.resolve("owner"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return false; // not ours, or still being created
        }
        String[] parts = owner.split(" ", 2);
        boolean alive;
        try {
            alive = ProcessHandle.of(Long.parseLong(parts[0]))
                    .map(p -> parts.length == 2 && startInstant(p).equals(parts[1])).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
        if (alive) {
            return false;
        }
        try {
            Path pgdata = dir.resolve("pgdata");
            Path pgCtl = PostgresBinaries.locate().resolve("bin/pg_ctl");
            List<String> runAs = isRoot() ? unprivilegedPrefix() : List.of();
            List<String> status = new ArrayList<>(runAs);
            status.addAll(List.of(pgCtl.toString(), "status", "-D", pgdata.toString()));
            if (Files.exists(pgdata.resolve("postmaster.pid")) && exitCodeOf(status) == 0) {
                List<String> stop = new ArrayList<>(runAs);
                stop.addAll(List.of(pgCtl.toString(), "stop", "-D", pgdata.toString(), "-m", "immediate", "-w"));
                exitCodeOf(stop);
            }
            PostgresBinaries.deleteTree(dir);
            log.info("Reaped the test cluster {} of a JVM that is gone (pid {})", dir, parts[0]);
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("Could not reap the leftover test cluster {}: {}", dir, e.getMessage());
            return false;
        }
    }

    private static String startInstant(ProcessHandle process) {
        return process.info().startInstant().map(Object::toString).orElse("?");
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

    Path home() {
        return home;
    }

    /** Whether the server is accepting connections (false while it is being restarted, and after close). */
    public boolean isUp() {
        return up;
    }

    /** How many times the server was started again after it died. */
    public int restarts() {
        return restarts.get();
    }

    /** The process id of the running postmaster, or -1 while there is none. */
    public long postmasterPid() {
        Process p = postmaster;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /**
     * Called with {@code false} as soon as the server is seen dead and with {@code true} once a restarted
     * server accepts connections, on the supervising thread: keep it short.
     */
    public void onAvailabilityChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    /** Stops the server (fast shutdown: open sessions are ended, committed data is kept). */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        up = false;
        try {
            Process p = postmaster;
            if (p != null && p.isAlive()) {
                try {
                    pgCtl("stop", "-m", "fast", "-w", "-t", "60");
                } catch (RuntimeException e) {
                    log.warn("PostgreSQL did not stop cleanly ({}); killing it", e.getMessage());
                    p.destroyForcibly();
                }
            }
            if (supervisor != null) {
                supervisor.interrupt();
                supervisor.join(Duration.ofSeconds(10));
            }
            log.info("PostgreSQL stopped ({})", pgdata);
            if (deleteOnClose) {
                PostgresBinaries.deleteTree(home);
            }
        } catch (RuntimeException | IOException e) {
            log.warn("Could not stop PostgreSQL cleanly: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /** Starts the watching thread and waits until the server it starts accepts connections. */
    private void startSupervised() throws IOException {
        supervisor = Thread.ofPlatform().daemon().name("embedded-postgres-" + port).unstarted(this::supervise);
        supervisor.start();
        try {
            firstStart.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("Interrupted while PostgreSQL was starting", e);
        }
    }

    /**
     * The watching thread: starts the postmaster, waits for it to end, and starts it again unless it was
     * stopped on purpose. The postmaster's parent-death signal is tied to this thread, so it must live
     * (and does: it only ever waits) for as long as the server should.
     */
    private void supervise() {
        Duration pause = FIRST_RETRY_PAUSE;
        while (!stopped) {
            Process process;
            try {
                process = launch();
            } catch (IOException | RuntimeException e) {
                if (!firstStart.isDone()) {
                    firstStart.completeExceptionally(e);
                    return;
                }
                log.error("Could not start PostgreSQL again: {}", e.getMessage());
                pause = pauseBeforeRetry(pause);
                continue;
            }
            postmaster = process;
            if (!awaitReady(process)) {
                process.destroyForcibly();
                String why = "PostgreSQL exited before accepting connections (exit " + exitValueOrNone(process)
                        + "): " + lastLogLines() + "\nSee " + home.resolve("postgres.log");
                if (!firstStart.isDone() && ++failedFirstStarts >= FIRST_START_ATTEMPTS) {
                    firstStart.completeExceptionally(new IllegalStateException(why));
                    return;
                }
                if (!firstStart.isDone()) {
                    // The server of a JVM that just died may still be on its way out (its parent-death signal
                    // started a fast shutdown): a moment later the cluster is free.
                    log.warn("PostgreSQL did not start, trying again in {} ms. {}", pause.toMillis(), why);
                    pause = pauseBeforeRetry(pause);
                    continue;
                }
                if (!stopped) {
                    log.warn("Restarting PostgreSQL failed, retrying in {} ms. {}", pause.toMillis(), why);
                    pause = pauseBeforeRetry(pause);
                }
                continue;
            }
            pause = FIRST_RETRY_PAUSE;
            if (!firstStart.isDone()) {
                setUp(true);
                firstStart.complete(null);
            } else {
                restarts.incrementAndGet();
                log.warn("PostgreSQL is back (pid {}, port {}) after crash recovery on {}", process.pid(), port, pgdata);
                setUp(true);
            }
            int exit = waitForExit(process);
            if (stopped) {
                return;
            }
            setUp(false);
            log.error("PostgreSQL (pid {}) died (exit {}); starting it again on {}. Until then requests that need"
                    + " the database are answered 503.", process.pid(), exit, pgdata);
        }
    }

    private Process launch() throws IOException {
        Path logFile = home.resolve("postgres.log");
        if (!Files.exists(logFile)) {
            Files.createFile(logFile);
            if (!runAs.isEmpty()) {
                chownToUnprivileged(logFile);
            }
        }
        List<String> cmd = new ArrayList<>(runAs);
        if (runAs.isEmpty() && SETPRIV_PDEATHSIG) {
            cmd.add("setpriv");
        }
        if (SETPRIV_PDEATHSIG) {
            cmd.addAll(List.of("--pdeathsig", "SIGINT")); // fast shutdown when this thread (the JVM) is gone
        }
        cmd.addAll(List.of(bin.resolve("postgres").toString(), "-D", pgdata.toString(), "-p", String.valueOf(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"));
        if (!durable) {
            cmd.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    }

    /** Reads the postmaster.pid file the way pg_ctl -w does: this process's pid, status "ready". */
    private boolean awaitReady(Process process) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Path pidFile = pgdata.resolve("postmaster.pid");
        while (System.nanoTime() < deadline && !stopped) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
                if (lines.size() >= 8 && lines.getFirst().strip().equals(String.valueOf(process.pid()))
                        && lines.get(7).strip().equals("ready")) {
                    return true;
                }
            } catch (IOException e) {
                // not written yet, or being rewritten
            }
            try {
                Thread.sleep(20); // polling a file the postmaster writes, as pg_ctl -w does
            } catch (InterruptedException e) {
                return false;
            }
        }
        return false;
    }

    private int waitForExit(Process process) {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                if (stopped) {
                    try {
                        return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
                    } catch (InterruptedException again) {
                        return -1;
                    }
                }
            }
        }
    }

    private static final int FIRST_START_ATTEMPTS = 5;
    private int failedFirstStarts;

    private Duration pauseBeforeRetry(Duration pause) {
        try {
            Thread.sleep(pause); // a restart backoff, not a test: nothing to wait on but time
        } catch (InterruptedException e) {
            // close() interrupts: the loop checks stopped
        }
        Duration next = pause.multipliedBy(2);
        return next.compareTo(MAX_RETRY_PAUSE) > 0 ? MAX_RETRY_PAUSE : next;
    }

    private void setUp(boolean value) {
        up = value;
        for (Consumer<Boolean> listener : listeners) {
            try {
                listener.accept(value);
            } catch (RuntimeException e) {
                log.warn("A PostgreSQL availability listener failed: {}", e.toString());
            }
        }
    }

    private static String exitValueOrNone(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "none";
        } catch (InterruptedException e) {
            return "none";
        }
    }

    private String lastLogLines() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("postgres.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
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
        return exitCodeOf(cmd);
    }

    private static int exitCodeOf(List<String> cmd) {
        Process p = startProcess(cmd);
        readAll(p);
        return waitFor(p);
    }

    /** Whether setpriv can give the postmaster a parent-death signal (util-linux 2.33 and later). */
    private static final boolean SETPRIV_PDEATHSIG = setprivHasPdeathsig();

    private static boolean setprivHasPdeathsig() {
        try {
            Process p = new ProcessBuilder("setpriv", "--help").redirectErrorStream(true).start();
            return readAll(p).contains("--pdeathsig") && waitFor(p) == 0;
        } catch (IOException e) {
            return false;
        }
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

    /** The prefix that runs a PostgreSQL command as this JVM would: as {@code nobody} when root. */
    static List<String> runAsPrefix() {
        return isRoot() ? unprivilegedPrefix() : List.of();
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
