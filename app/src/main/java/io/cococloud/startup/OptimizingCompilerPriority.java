package io.cococloud.startup;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

/**
 * Runs the JVM's optimizing compiler (C2) only on idle cores while the server starts (Linux's {@code SCHED_IDLE}
 * policy), and under its usual policy again a few seconds after the server is ready. A start on two cores is bound by
 * CPU: Spring's start, the Python warm-up and the quick compiler (C1), which all three need, share them with C2,
 * which spends ~2.5 s there mostly on code that only the start runs (bean factories, class loading, the database's
 * SCRAM handshake). What C2 still has to compile is compiled once it has its policy back, or dropped as stale by the
 * JIT when the start's code has gone cold. Lowest priority (nice 19) was not low enough: whenever another thread
 * paused (a lock, a read), C2 got the core and kept it for a slice, ~10 % of both cores in all, where a
 * {@code SCHED_IDLE} thread gives way as soon as another wakes (restart to the first 200: 5.2-5.8 s against 5.6-6.3 s
 * at nice 19, five pairs; bench/README.md, "Start-up and memory").
 *
 * <p>Linux only, and only where the policy can be given back: leaving {@code SCHED_IDLE} needs root or the capability
 * CAP_SYS_NICE, and C2 left there would keep a busy server on slower code. Elsewhere (the Docker image's unprivileged
 * user, say) it does nothing.
 */
public final class OptimizingCompilerPriority implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(OptimizingCompilerPriority.class);

    private static final Path THREADS = Path.of("/proc/self/task");
    private static final String C2_THREAD_NAME = "C2 CompilerThre"; // the kernel keeps 15 characters of a name
    private static final int CAP_SYS_NICE = 23;
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = 5;
    /**
     * C2 stays low this long once the server is ready: the first calls after a restart come then (the function
     * call a restart waits for, a load balancer's health check), and C2's backlog of the start's code took the
     * cores from them (restart to the first 200: 7.8-8.4 s against 8.4-8.9 s, bench/README.md). Short, so that a
     * server busy from its start is not kept on the quick compiler's slower code.
     */
    private static final Duration LOW_AFTER_READY = Duration.ofSeconds(3);

    private final MethodHandle setScheduler;
    private final Duration lowAfterReady;
    private final List<Integer> lowered = new ArrayList<>(); // thread ids

    private OptimizingCompilerPriority(MethodHandle setScheduler, Duration lowAfterReady) {
        this.setScheduler = setScheduler;
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
        OptimizingCompilerPriority priority = new OptimizingCompilerPriority(setSchedulerOrNull(), lowAfterReady);
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
        if (setScheduler == null || !mayRaisePriority()) {
            return;
        }
        for (int thread : compilerThreads()) {
            if (Integer.valueOf(SCHED_OTHER).equals(policyOf(thread)) && setPolicy(thread, SCHED_IDLE)) {
                lowered.add(thread);
            }
        }
    }

    private synchronized void restore() {
        if (lowered.isEmpty()) {
            return;
        }
        // C2 threads the JIT added meanwhile were made by a lowered one, and have its policy too
        for (int thread : compilerThreads()) {
            setPolicy(thread, SCHED_OTHER);
        }
        // logged here, not when lowered: logging is set up by then
        log.debug("C2 compiler threads {} ran only on idle cores while the server started", lowered);
        lowered.clear();
    }

    private boolean setPolicy(int thread, int policy) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment param = arena.allocate(JAVA_INT); // struct sched_param: its priority, 0 for both policies
            return (int) setScheduler.invokeExact(thread, policy, param) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle setSchedulerOrNull() {
        // Not in the build's AOT processing, which runs main() to read the bean definitions and never gets ready;
        // nor without native access (jvm.options enables it), which would only cost a warning on the console.
        if (!Files.isDirectory(THREADS) || Boolean.getBoolean("spring.aot.processing")
                || !OptimizingCompilerPriority.class.getModule().isNativeAccessEnabled()) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("sched_setscheduler")
                    .map(address -> linker.downcallHandle(address,
                            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS)))
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

    /** The thread's scheduling policy, the 41st field of its stat line (after the parenthesized name). */
    private static Integer policyOf(int thread) {
        try {
            String stat = Files.readString(THREADS.resolve(thread + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[38]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
