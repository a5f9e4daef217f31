package io.cococloud.embeddedpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/** Crashes a test's own embedded PostgreSQL for real: SIGKILL, and a port it cannot get back. */
public final class PostgresCrash {

    private PostgresCrash() {}

    /**
     * Kills the postmaster and binds its port before the supervisor's restart can, so that the restart
     * fails for real for as long as the socket is held. Should a restart win the race, it tries again.
     */
    public static ServerSocket killAndTakeThePort(EmbeddedPostgres postgres) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            long killed = postgres.postmasterPid();
            kill9(killed);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    return new ServerSocket(postgres.port(), 1, InetAddress.getByName("127.0.0.1"));
                } catch (BindException stillHeld) {
                    long current = postgres.postmasterPid();
                    if (postgres.isUp() && current > 0 && current != killed) {
                        break; // a restart got there first: kill that one
                    }
                    Thread.onSpinWait();
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> postgres.isUp() && postgres.postmasterPid() != killed);
        }
        throw new AssertionError("could not take the port of the killed server");
    }

    public static void kill9(long pid) throws IOException, InterruptedException {
        assertThat(pid).isPositive();
        Process kill = new ProcessBuilder("kill", "-9", String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
