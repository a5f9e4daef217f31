package io.cococloud.startup;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

/**
 * Gives the JVM's optimizing compiler (C2) the lowest scheduling priority while the server starts, and its own
 * back a few seconds after the server is ready. A start on two cores is bound by CPU: Spring's start, the Python
 * warm-up and the quick compiler (C1), which all three need, share them with C2, which spends ~2.5 s there mostly on
 * code that only the start runs (bean factories, class loading, the database's SCRAM handshake). With C2 at nice 19 a
 * restart answered its first call ~0.8 s sooner (bench/README.md, "Start-up and memory"); what C2 still has to
 * compile is compiled once it has its priority back, or dropped as stale by the JIT when the start's code has gone
 * cold.
 *
 * <p>Linux only, and only where the priority can be given back: raising a thread's priority again needs root or the
 * capability CAP_SYS_NICE, and C2 left at the lowest priority would keep a busy server on slower code. Elsewhere
 * (the Docker image's unprivileged user, say) it does nothing.
 */
public final class OptimizingCompilerPriority implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(OptimizingCompilerPriority.class);

    private static final Path THREADS = Path.of("/proc/self/task");
    private static final String C2_THREAD_NAME = "C2 CompilerThre"; // the kernel keeps 15 characters of a name
    private static final int CAP_SYS_NICE = 23;
    private static final int PRIO_PROCESS = 0; // with a thread's id, Linux sets that thread's priority
    private static final int LOWEST = 19;
    /**
     * C2 stays low this long once the server is ready: the first calls after a restart come then (the function
     * call a restart waits for, a load balancer's health check), and C2's backlog of the start's code took the
     * cores from them (restart to the first 200: 7.8-8.4 s against 8.4-8.9 s, bench/README.md). Short, so that a
     * server busy from its start is not kept on the quick compiler's slower code.
     */
    private static final Duration LOW_AFTER_READY = Duration.ofSeconds(3);

    private final MethodHandle setpriority;
    private final Duration lowAfterReady;
    private final Map<Integer, Integer> lowered = new LinkedHashMap<>(); // thread id -> its nice value before

    private OptimizingCompilerPriority(MethodHandle setpriority, Duration lowAfterReady) {
        this.setpriority = setpriority;
        this.lowAfterReady = lowAfterReady;
    }

    /**
     * Lowers C2's priority until shortly after the server is ready; the listener to add to the application gives it
     * back.
     */
    public static OptimizingCompilerPriority lowerUntilReady() {
        return lowerUntil(LOW_AFTER_READY);
    }

    /** Lowers C2's priority until {@code lowAfterReady} after the server is ready, or until its start fails. */
    static OptimizingCompilerPriority lowerUntil(Duration lowAfterReady) {
        OptimizingCompilerPriority priority = new OptimizingCompilerPriority(setpriorityOrNull(), lowAfterReady);
        priority.lower();
        return priority;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationReadyEvent && isLowered()) {
            Thread.ofVirtual().name("c2-priority").start(() -> {
                try {
                    Thread.sleep(lowAfterReady);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                restore();
            });
        } else if (event instanceof ApplicationFailedEvent) {
            restore();
        }
    }

    private synchronized boolean isLowered() {
        return !lowered.isEmpty();
    }

    private synchronized void lower() {
        if (setpriority == null || !mayRaisePriority()) {
            return;
        }
        for (int thread : compilerThreads()) {
            Integer nice = niceOf(thread);
            if (nice != null && nice < LOWEST && setNice(thread, LOWEST)) {
                lowered.put(thread, nice);
            }
        }
    }

    private synchronized void restore() {
        if (lowered.isEmpty()) {
            return;
        }
        int nice = lowered.values().iterator().next();
        // C2 threads the JIT added meanwhile were made by a lowered one, and have its priority too
        for (int thread : compilerThreads()) {
            setNice(thread, lowered.getOrDefault(thread, nice));
        }
        // logged here, not when lowered: logging is set up by then
        log.debug("C2 compiler threads {} were at nice {} while the server started", lowered.keySet(), LOWEST);
        lowered.clear();
    }

    private boolean setNice(int thread, int nice) {
        try {
            return (int) setpriority.invokeExact(PRIO_PROCESS, thread, nice) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle setpriorityOrNull() {
        // Not in the build's AOT processing, which runs main() to read the bean definitions and never gets ready;
        // nor without native access (jvm.options enables it), which would only cost a warning on the console.
        if (!Files.isDirectory(THREADS) || Boolean.getBoolean("spring.aot.processing")
                || !OptimizingCompilerPriority.class.getModule().isNativeAccessEnabled()) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("setpriority")
                    .map(address -> linker.downcallHandle(address,
                            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT)))
                    .orElse(null);
        } catch (RuntimeException e) { // no such function here: only a slower start
            return null;
        }
    }

    /** Whether this process may raise a thread's priority again: root, or the capability CAP_SYS_NICE. */
    private static boolean mayRaisePriority() {
        try (Stream<String> status = Files.lines(Path.of("/proc/self/status"))) {
            return status.filter(line -> line.startsWith("CapEff:")).findFirst()
                    .map(line -> (Long.parseUnsignedLong(line.substring(7).strip(), 16) >>> CAP_SYS_NICE & 1) == 1)
                    .orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static List<Integer> compilerThreads() {
        List<Integer> threads = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(THREADS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith(C2_THREAD_NAME)) {
                        threads.add(Integer.parseInt(task.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return threads;
    }

    /** The thread's nice value, the 19th field of its stat line (after the parenthesized name). */
    private static Integer niceOf(int thread) {
        try {
            String stat = Files.readString(THREADS.resolve(thread + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
