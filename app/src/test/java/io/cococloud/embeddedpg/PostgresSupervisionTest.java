package io.cococloud.embeddedpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL heals itself: a real server of its own per test (never the suite's shared
 * one), killed with SIGKILL as the OOM killer or an operator would, behind the server's real pool.
 */
class PostgresSupervisionTest {

    /** The bound for being back after a crash. */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

    /** One cluster for the class (a durable initdb costs seconds); each test starts its own server on it. */
    @TempDir
    static Path home;

    EmbeddedPostgres postgres;
    HikariDataSource pool;
    SupervisedDataSource dataSource;

    @BeforeEach
    void startServer() throws Exception {
        postgres = EmbeddedPostgres.start(home, true); // durable, as the zero-config server runs it
        pool = new HikariDataSource();
        pool.setJdbcUrl(postgres.jdbcUrl());
        pool.setUsername(postgres.username());
        pool.setPassword(postgres.password());
        pool.setMaximumPoolSize(4);
        pool.setConnectionTimeout(30_000); // Hikari's default: what a caller waited before the fast failure
        dataSource = new SupervisedDataSource(pool, postgres);
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS writes (id bigint PRIMARY KEY)");
        }
    }

    @AfterEach
    void stopServer() {
        dataSource.close();
        postgres.close();
    }

    @Test
    void aKilledServerIsBackWithinSecondsAndNoAcknowledgedWriteIsLost() throws Exception {
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong nextId = new AtomicLong(System.nanoTime()); // ids of earlier tests' writes stay apart
        AtomicLong failures = new AtomicLong();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            writers.submit(() -> {
                while (writing.get()) {
                    long id = nextId.incrementAndGet();
                    try (Connection c = dataSource.getConnection();
                         PreparedStatement insert = c.prepareStatement("INSERT INTO writes VALUES (?)")) {
                        insert.setLong(1, id);
                        insert.executeUpdate(); // autocommit: returning is the acknowledgement
                        acknowledged.add(id);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        pause();
                    }
                }
            });
        }
        await().atMost(BACK_WITHIN).until(() -> acknowledged.size() >= 50);
        long killed = postgres.postmasterPid();

        PostgresCrash.kill9(killed);
        long killedAt = System.nanoTime();
        await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(20))
                .until(() -> postgres.restarts() == 1 && postgres.isUp());
        long writtenBefore = acknowledged.size();
        await().atMost(BACK_WITHIN).until(() -> acknowledged.size() >= writtenBefore + 50);
        long backAfterMillis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
        writing.set(false);
        writers.shutdown();
        assertThat(writers.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(postgres.postmasterPid()).isNotEqualTo(killed).isPositive();
        assertThat(backAfterMillis).as("writes flowing again after the kill").isLessThan(BACK_WITHIN.toMillis());
        Set<Long> stored = new HashSet<>();
        try (Connection c = dataSource.getConnection();
             ResultSet rows = c.createStatement().executeQuery("SELECT id FROM writes")) {
            while (rows.next()) {
                stored.add(rows.getLong(1));
            }
        }
        assertThat(stored).as("every acknowledged write survives the crash").containsAll(acknowledged);
        System.out.printf("PostgreSQL killed under load: writes flowing again after %d ms, %d acknowledged,"
                + " %d failed attempts%n", backAfterMillis, acknowledged.size(), failures.get());
    }

    @Test
    void whileTheServerCannotComeBackConnectionsAreRefusedAtOnceAndThePoolRecoversAfterwards() throws Exception {
        try (Connection warm = dataSource.getConnection()) {
            assertThat(warm.isValid(1)).isTrue(); // the pool now holds a connection to the server about to die
        }
        try (ServerSocket squatter = PostgresCrash.killAndTakeThePort(postgres)) {
            await().atMost(BACK_WITHIN).until(() -> !postgres.isUp());
            // Restarts fail for as long as the port is taken; the server stays down and says so.
            long started = System.nanoTime();
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("restarted");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("refused at once, not after the pool's 30 s timeout").isLessThan(Duration.ofSeconds(1));
            assertThat(postgres.isUp()).isFalse();
        }

        await().atMost(BACK_WITHIN).until(postgres::isUp);
        try (Connection c = dataSource.getConnection();
             ResultSet one = c.createStatement().executeQuery("SELECT count(*) FROM writes")) {
            assertThat(one.next()).isTrue();
        }
        assertThat(postgres.restarts()).isEqualTo(1);
    }

    @Test
    void aServerStoppedOnPurposeIsNotStartedAgain() throws Exception {
        long pid = postgres.postmasterPid();
        dataSource.close();
        postgres.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(postgres.isUp()).isFalse();
        assertThat(postgres.postmasterPid()).isEqualTo(-1);
        assertThat(postgres.restarts()).isZero();
    }

    private static void pause() {
        try {
            Thread.sleep(10); // a writer's backoff after a failed write, not a wait for an outcome
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
