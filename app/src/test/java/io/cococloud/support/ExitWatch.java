package io.cococloud.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Says what holds a test JVM that does not end: if its shutdown (Spring contexts closing, the test
 * PostgreSQL stopping) still runs after {@link #PATIENCE}, every thread's stack goes to
 * {@code target/exit-thread-dump-<pid>.txt} and a line to stderr. Surefire halts a JVM 30 s after
 * System.exit; this speaks before that. It never delays an exit: the hook only starts a daemon thread.
 */
final class ExitWatch {

    static final Duration PATIENCE = Duration.ofSeconds(10);
    private static boolean installed;

    private ExitWatch() {}

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Thread.ofPlatform().daemon().name("exit-watch")
                .start(ExitWatch::dumpIfStillRunning), "exit-watch-hook"));
    }

    private static void dumpIfStillRunning() {
        try {
            Thread.sleep(PATIENCE); // the JVM halts this thread if it exits in time: only a slow exit gets past
        } catch (InterruptedException e) {
            return;
        }
        StringBuilder dump = new StringBuilder("Threads of a test JVM still shutting down after " + PATIENCE + "\n");
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread t = entry.getKey();
            dump.append('\n').append('"').append(t.getName()).append('"').append(t.isDaemon() ? " daemon" : "")
                    .append(' ').append(t.getState()).append('\n');
            for (StackTraceElement frame : entry.getValue()) {
                dump.append("    at ").append(frame).append('\n');
            }
        }
        Path file = Path.of("target", "exit-thread-dump-" + ProcessHandle.current().pid() + ".txt");
        try {
            Files.writeString(file, dump);
            System.err.println("[exit-watch] the test JVM is still shutting down after " + PATIENCE
                    + "; thread dump in " + file.toAbsolutePath());
        } catch (IOException e) {
            System.err.println(dump);
        }
    }
}
