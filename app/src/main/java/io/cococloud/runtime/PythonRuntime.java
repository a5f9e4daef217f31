package io.cococloud.runtime;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.data.DatabaseCalls;
import io.cococloud.mail.FunctionMail;
import io.cococloud.project.ProjectDeleted;
import io.cococloud.project.ProjectLimitsChanged;
import io.cococloud.project.ProjectPackagesChanged;
import io.cococloud.secret.SecretCalls;
import io.cococloud.template.TemplateRenderer;
import io.cococloud.web.RequestsInFlight;

/**
 * Runs Python functions: in a warm, sandboxed context of the function's project, on a worker
 * thread of its own, stopped at the function's timeout. Takes an {@link Invocation}, returns an
 * {@link Outcome}; knows nothing of HTTP.
 */
@Service
public class PythonRuntime implements InitializingBean, DisposableBean {

    /**
     * The function whose Python runs on this worker thread: the host calls it makes ({@code db}) act for it, so a
     * hook's own writes do not trigger that hook again.
     */
    static final ThreadLocal<java.util.UUID> CALLING_FUNCTION = new ThreadLocal<>();

    private static final Logger log = LoggerFactory.getLogger(PythonRuntime.class);

    private final RuntimeProperties settings;
    private final TemplateRenderer templates;
    private final DatabaseCalls database;
    private final SecretCalls secrets;
    private FunctionMail mail;
    private final JsonMapper json;
    private final String baseUrl;
    private final PythonEngine engine;
    private final Map<UUID, ProjectPool> pools = new ConcurrentHashMap<>();
    private final ProjectLimitSettings projectLimits;
    /** Python calls run on platform threads made as needed: each project's slots bound how many it holds. */
    private final ExecutorService workers;
    /** Hands calls to the workers and outcomes back; without thread wake-ups when the node is quiet. */
    private final WorkerHandOff handOff;
    /** The server-wide bound on calls running at once, whatever the project; beyond it a call is refused. */
    private final Semaphore runningCalls;
    private final ScheduledExecutorService watchdog;
    /**
     * Closing a context whose call ignores cancellation (a long builtin) can take seconds: every stop runs on a
     * thread of its own, so one stuck call never delays the stop of another.
     */
    private final ExecutorService stopper;
    private final Object checkLock = new Object();
    private final HeapGuard heapGuard;
    private final RetainedMemoryGuard retainedMemoryGuard;
    private final ScheduledExecutorService guardThread;
    private final Map<SandboxedContext, Call> running = new ConcurrentHashMap<>();
    /** Callers waiting for an outcome, whose waits the watchdog ends when they last too long. */
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    /** Set first by {@link #destroy()}: no call starts after it. */
    private volatile boolean destroyed;
    private Context checkContext;
    /** Done when the start-up warm-up has made its context (at once for a runtime Spring did not start). */
    private final CompletableFuture<Void> warmedUp;
    /** The context the next project to need a new one takes: a restart's first call does not wait for one. */
    private final SpareContext spare;

    /** A call in progress, as the watchdog and the heap guards see it. */
    record Call(SandboxedContext context, long threadId, long allocatedAtStart, AtomicBoolean timedOut,
            AtomicBoolean outOfMemory, Executor stopper, AtomicBoolean isLoading, AtomicLong deadline)
            implements HeapGuard.RunningCall {

        /** {@link #deadline} once the watchdog or a heap guard has stopped the call, and once it has ended. */
        static final long STOPPED = Long.MIN_VALUE;
        static final long ENDED = Long.MIN_VALUE + 1;

        /** A call stopped at {@code timeout} from now unless it ends or {@linkplain #extend moves its deadline}. */
        Call(SandboxedContext context, long allocatedAtStart, AtomicBoolean timedOut, Executor stopper,
                boolean loading, Duration timeout) {
            this(context, Thread.currentThread().threadId(), allocatedAtStart, timedOut, new AtomicBoolean(),
                    stopper, new AtomicBoolean(loading), new AtomicLong(System.nanoTime() + timeout.toNanos()));
        }

        @Override
        public boolean loading() {
            return isLoading.get();
        }

        /**
         * Stops the call while it runs, as the watchdog does, so that it either ends stopped (its context then goes)
         * or has ended first and is left alone: stopping its context after the call had given it back left a closing
         * context in the pool, and the project's next call, given it, ended at once as "timed out".
         */
        @Override
        public boolean stopForMemory() {
            for (long due = deadline.get(); due != STOPPED && due != ENDED; due = deadline.get()) {
                if (deadline.compareAndSet(due, STOPPED)) {
                    outOfMemory.set(true); // before the stop, which the call sees
                    log.warn("Heap nearly full: stopping the call that allocated the most (thread {})", threadId);
                    stop(context, stopper);
                    return true;
                }
            }
            return false;
        }

        /** The watchdog's look at the call: stops it when its deadline has passed (once). */
        void stopIfLate(long now) {
            long due = deadline.get();
            if (due != STOPPED && due != ENDED && now - due >= 0 && deadline.compareAndSet(due, STOPPED)) {
                timedOut.set(true);
                stop(context, stopper);
            }
        }

        /** A new deadline, {@code timeout} from now; false when the old one had passed and the call is stopped. */
        boolean extend(Duration timeout) {
            long due = deadline.get();
            return due != STOPPED && deadline.compareAndSet(due, System.nanoTime() + timeout.toNanos());
        }

        /** The call is over; true when the watchdog or a heap guard stopped it (its context is then broken). */
        boolean end() {
            return deadline.getAndSet(ENDED) == STOPPED;
        }
    }

    /** How often the watchdog looks for calls and waits past their deadline: how late a timeout may end one. */
    private static final long TIMEOUT_TICK_MILLIS = 10;

    private void stopLateCalls() {
        try {
            long now = System.nanoTime();
            running.values().forEach(call -> call.stopIfLate(now));
            waiting.forEach(waiter -> waiter.endIfLate(now));
            pools.values().forEach(pool -> pool.endLateWaits(now));
        } catch (RuntimeException e) {
            log.error("Looking for calls past their timeout failed", e); // the next look comes all the same
        }
    }

    private static void stop(SandboxedContext context, Executor stopper) {
        context.broken = true;
        stopper.execute(context::close);
    }

    /** The server's runtime: its engine is {@code start}'s, begun before Spring made any bean. */
    @org.springframework.beans.factory.annotation.Autowired
    public PythonRuntime(RuntimeProperties settings, ProjectLimitSettings projectLimits, TemplateRenderer templates,
            DatabaseCalls database, SecretCalls secrets, JsonMapper json,
            @org.springframework.beans.factory.annotation.Value("${coco.base-url}") String baseUrl, PythonStart start,
            RequestsInFlight requests) {
        if (start.settings().statementLimit() != settings.statementLimit()) { // before any thread is started
            throw new IllegalStateException("The Python engine was made with a statement limit of "
                    + start.settings().statementLimit() + ", the settings say " + settings.statementLimit());
        }
        this(settings, projectLimits, templates, database, secrets, json, baseUrl, start.engine(),
                start.settings().equals(settings) ? start.firstContext() : start.firstContext().thenApply(first -> {
                    if (first != null) {
                        first.close(); // made with other output limits (a test's settings): not this runtime's
                    }
                    return null;
                }), requests::leaveACoreFree);
    }

    /** A runtime made by hand (in tests), with an engine of its own and no warm-up to wait for. */
    public PythonRuntime(RuntimeProperties settings, ProjectLimitSettings projectLimits, TemplateRenderer templates,
            DatabaseCalls database, SecretCalls secrets, JsonMapper json, String baseUrl) {
        this(settings, projectLimits, templates, database, secrets, json, baseUrl,
                new PythonEngine(settings.statementLimit()), CompletableFuture.completedFuture(null), () -> true);
    }

    private PythonRuntime(RuntimeProperties settings, ProjectLimitSettings projectLimits, TemplateRenderer templates,
            DatabaseCalls database, SecretCalls secrets, JsonMapper json, String baseUrl, PythonEngine engine,
            CompletableFuture<SandboxedContext> firstContext, BooleanSupplier coreFreeOfRequests) {
        this.settings = settings;
        this.projectLimits = projectLimits;
        this.templates = templates;
        this.database = database;
        this.secrets = secrets;
        this.json = json;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.engine = engine;
        // Platform threads with deep stacks: Python recursion must end in RecursionError, not in a
        // Java StackOverflowError, and GraalPy contexts are entered from plain threads only.
        this.workers = Executors.newCachedThreadPool(threads("python-", 16L << 20));
        this.spare = new SpareContext(this::newUnboundContext, workers);
        this.runningCalls = new Semaphore(settings.maxRunningCalls());
        this.handOff = new WorkerHandOff(workers, settings.handOffSpin(),
                () -> runningCalls.availablePermits() == settings.maxRunningCalls(),
                coreFreeOfRequests);
        this.stopper = Executors.newCachedThreadPool(threads("python-stop-", 0));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, threads("python-watchdog-", 0));
        scheduler.setRemoveOnCancelPolicy(true); // a finished call's timeout must not linger in the queue
        this.watchdog = scheduler;
        watchdog.scheduleWithFixedDelay(this::evictIdleContexts, 30, 30, TimeUnit.SECONDS);
        // Timeouts: one look at the running calls' deadlines every few milliseconds, rather than a task scheduled and
        // cancelled per call (whose queue lock and wake-ups of this thread cost a warm call more than its Python).
        watchdog.scheduleWithFixedDelay(this::stopLateCalls, TIMEOUT_TICK_MILLIS, TIMEOUT_TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        // Often, and on a thread of its own: a tight allocation loop can fill the remaining heap within a few
        // tens of milliseconds, while the watchdog's thread may be held for seconds by close(true) of a timed-out
        // call whose builtin ignores cancellation (a guard sharing that thread once let a bomb fill the heap).
        this.guardThread = new ScheduledThreadPoolExecutor(1, threads("python-heap-guard-", 0));
        this.retainedMemoryGuard = new RetainedMemoryGuard(settings.heapLimit(), this::allContexts,
                this::currentCallAllocation, this::discardForMemory).start();
        this.heapGuard = new HeapGuard(settings.heapLimit(), retainedMemoryGuard::tight);
        guardThread.scheduleWithFixedDelay(() -> {
            heapGuard.check(running.values());
            retainedMemoryGuard.nearlyFull(HeapGuard.used());
        }, 5, 5, TimeUnit.MILLISECONDS);
        // The start's first context is the first spare (another is made only when there is none), before a call
        // that waited for the warm-up looks for one.
        this.warmedUp = firstContext.thenAccept(first -> {
            if (first != null) {
                spare.offer(first);
            } else {
                spare.refill();
            }
        });
    }

    /** request.send_mail; a setter, so a runtime made by hand (in tests) needs no mail service. */
    @org.springframework.beans.factory.annotation.Autowired
    void mail(FunctionMail mail) {
        this.mail = mail;
    }

    /**
     * A run that ends when the context is refreshed ({@code spring.context.exit=onRefresh}: the launcher's training
     * of the JVM's AOT cache) waits for the warm-up, so that GraalPy's classes it loads are in the cache.
     */
    @Override
    public void afterPropertiesSet() {
        if ("onRefresh".equals(System.getProperty("spring.context.exit"))) {
            try {
                warmedUp.get(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("The Python warm-up of this training run did not finish", e);
            }
        }
    }

    /** Waits (bounded) for the start-up warm-up, if one is running: a context made alongside it would cost as much. */
    private void awaitWarmUp() {
        try {
            warmedUp.get(settings.warmUpWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the warm-up is late or failed: this context is made anyway
        }
    }

    /**
     * The result of checking a function's sources before they are deployed.
     *
     * @param style     the style the entry runs in (null when refused)
     * @param entryName the entry point's name in the entry file (main, handle, handler, app, application)
     * @param problem   why the sources were refused, or NONE
     * @param error     the message naming what is wrong (null when accepted)
     * @param file      the file the error is in (null when none applies)
     * @param line      the line of the error in that file (0 when none applies)
     */
    /** How GraalPy 25's bytecode files begin (importlib.util.MAGIC_NUMBER). */
    private static final byte[] BYTECODE_MAGIC = {'R', 'S', '\r', '\n'};

    /**
     * Whether a file is GraalPy bytecode, which a deploy must refuse under any name: GraalPy shares code loaded from
     * a bytecode file across all contexts of the engine by the file name and header it carries, so a tenant's
     * crafted file could stand for the standard library's in every other project's context.
     */
    public static boolean isBytecode(byte[] content) {
        return content.length >= 16 && Arrays.equals(content, 0, 4, BYTECODE_MAGIC, 0, 4);
    }

    /**
     * What a deploy-time check found.
     *
     * @param warnings what the code uses that the sandbox denies ("index.py line 3: import sqlite3: sqlite3 cannot
     *                 load in the sandbox ..."): the deploy goes on, and says so
     */
    public record Check(String style, String entryName, Problem problem, String error, String file, int line,
            List<String> warnings) {
        /** NO_ENTRY: the file compiles but has no entry point (in a site, a helper module). */
        public enum Problem { NONE, SYNTAX, NO_ENTRY, BAD_SETTING }

        public boolean ok() {
            return problem == Problem.NONE;
        }
    }

    /**
     * Compiles the sources and finds the entry point in {@code entryFile}, without running any of it.
     *
     * @param entryName the entry's name when the function's handler names it ("index.handler"), else null
     * @param style     the function's explicit style setting, else null: detected from the source
     */
    public Check check(Map<String, String> files, String entryFile, String entryName, String style) {
        String precompiled = precompile(files);
        return runCheck(() -> checkOf(json.readValue(checkRuntime().getMember("check")
                .execute(json.writeValueAsString(files), precompiled, entryFile, entryName, style).asString(),
                Map.class)), failed -> failed);
    }

    /**
     * A site's tree at once: every file compiled once (a check per file would compile the tree once per file, under
     * the server-wide check lock), then each .py file's entry point found: a route, or NO_ENTRY for a helper module.
     * When a file does not compile the answer holds that file's SYNTAX check alone.
     */
    public Map<String, Check> checkTree(Map<String, String> files) {
        String precompiled = precompile(files);
        return runCheck(() -> {
            Map<?, ?> answer = json.readValue(checkRuntime().getMember("check_tree")
                    .execute(json.writeValueAsString(files), precompiled).asString(), Map.class);
            if (answer.get("failed") instanceof Map<?, ?> failed) {
                Check check = checkOf(failed);
                return Map.of(check.file(), check);
            }
            Map<String, Check> checks = new TreeMap<>();
            ((Map<?, ?>) answer.get("files")).forEach((file, check) -> checks.put((String) file,
                    checkOf((Map<?, ?>) check)));
            return checks;
        }, failed -> Map.of("", failed));
    }

    /**
     * Compiles the Python files into the bytecode contexts load, outside the check lock: the deploy pays for it, not
     * the first calls. JSON list of the files compiled; the check context compiles only the others, for their error
     * (code it compiles stays in the long-lived check context's memory, see {@link FunctionBytecode}).
     */
    private String precompile(Map<String, String> files) {
        List<String> compiled = new ArrayList<>();
        files.forEach((path, source) -> {
            if (path.endsWith(".py") && engine.precompile(path, source)) {
                compiled.add(path);
            }
        });
        return json.writeValueAsString(compiled);
    }

    /**
     * Runs a check in the shared check context. Source that breaks the compiler itself (nesting deep enough to
     * exhaust the parser's stack) is its author's syntax problem, not a server error: answered as SYNTAX (no file
     * named), and the check context is made anew.
     */
    private <T> T runCheck(Supplier<T> check, Function<Check, T> whenTheCompilerFails) {
        synchronized (checkLock) {
            try {
                return check.get();
            } catch (PolyglotException e) {
                if (!e.isGuestException() && !e.isResourceExhausted()) {
                    throw e;
                }
                checkContext.close(true);
                checkContext = null;
                return whenTheCompilerFails.apply(new Check(null, null, Check.Problem.SYNTAX,
                        "SyntaxError: the source could not be compiled (" + e.getMessage() + ")", null, 0,
                        List.of()));
            }
        }
    }

    private Value checkRuntime() {
        return checkContext().getBindings("python").getMember("_cococloud_runtime");
    }

    private static Check checkOf(Map<?, ?> check) {
        Object line = check.get("line");
        List<String> warnings = check.get("warnings") instanceof List<?> found
                ? found.stream().map(String::valueOf).toList() : List.of();
        return new Check((String) check.get("style"), (String) check.get("entry_name"),
                Check.Problem.valueOf((String) check.get("problem")), (String) check.get("error"),
                (String) check.get("file"), line instanceof Number n ? n.intValue() : 0, warnings);
    }

    /**
     * Loads a newly deployed version in a context of its project, in the background, so that its first call is
     * warm: a framework app's import happens here, not in a call.
     */
    public void prewarm(FunctionCode function) {
        prewarm(List.of(function));
    }

    /**
     * Loads versions of one project (a site's routes) into one context of it, in the background, in order, after
     * the project's earlier pre-warms (see ProjectPool.warmUp).
     */
    public void prewarm(List<FunctionCode> functions) {
        if (functions.isEmpty()) {
            return;
        }
        FunctionCode first = functions.getFirst();
        ProjectPool pool = pool(first.projectId());
        pool.warmUp(() -> {
            try {
                if (pool.admit(Duration.ZERO) != ProjectPool.Admission.ADMITTED) {
                    return; // every slot is busy: the project is warm anyway
                }
                SandboxedContext context;
                try {
                    context = pool.take();
                } catch (InterruptedException e) {
                    pool.release(); // a failure to make a context has freed the slot already
                    throw e;
                }
                functions.forEach(function -> pool.warming(function.key(), true));
                try {
                    for (FunctionCode function : functions) {
                        if (!context.broken) {
                            context.unloadOtherVersions(function);
                            load(context, function);
                        }
                    }
                } finally {
                    pool.giveBack(context); // back in the pool before its waiters look again
                    functions.forEach(function -> pool.warming(function.key(), false));
                    spare.replaceTaken();
                }
            } catch (RuntimeException | InterruptedException e) {
                log.debug("Pre-warming {} failed; its first call will say why", first.key(), e);
            }
        });
    }

    /**
     * Loads a version into a context outside any call, within the load timeout (past it the context is stopped and
     * discarded). Its output is the version's first call's here to report, as are its failures.
     */
    private void load(SandboxedContext context, FunctionCode function) {
        Call call = new Call(context, heapGuard.allocatedByCurrentThread(), new AtomicBoolean(), stopper, true,
                settings.loadTimeout());
        running.put(context, call);
        try {
            context.ensureLoaded(function, this::filesJson, this::settingsJson);
        } catch (PolyglotException e) {
            context.broken = true;
            log.debug("Loading {} outside a call failed; its first call will say why", function.key(), e);
        } finally {
            if (call.end()) {
                context.broken = true; // stopped as it ended: the stop closes it
            }
            running.remove(context);
            context.keepLoadOutput(function); // dropped if it failed: its first call loads it again
        }
    }

    /** A successor of a retiring context loads what its predecessor had, before it serves a call. */
    private void inherit(SandboxedContext predecessor, SandboxedContext successor) {
        for (FunctionCode function : predecessor.loadedFunctions()) {
            if (successor.broken) {
                return;
            }
            load(successor, function);
        }
    }

    /**
     * Runs one call. Never throws for anything the function does: that is in the outcome. Waiting for a slot of
     * the project holds nothing that another project needs: a queued call is started by the call that frees its slot.
     */
    public Outcome run(Invocation invocation) {
        long started = System.nanoTime();
        PendingCall call;
        ProjectPool.Admission admission;
        try {
            call = new PendingCall(pool(invocation.function().projectId()), invocation, started);
            admission = call.pool.admit(settings.queueTimeout(), call);
        } catch (IllegalStateException e) {
            return busy("Busy: the project's runtime was shut down", started);
        }
        switch (admission) {
            case ADMITTED -> call.start();
            case QUEUED -> { } // the call that frees a slot starts it
            default -> {
                CallLimits limits = call.pool.limits();
                return busy("Busy: this project already has " + limits.concurrent() + " calls running and "
                        + limits.queued() + " waiting; try again shortly", started);
            }
        }
        return call.await();
    }

    /** A call from its admission, or its place in its project's queue, to its outcome. */
    private final class PendingCall implements ProjectPool.WaitingCall {
        final ProjectPool pool;
        private final Invocation invocation;
        private final long started;
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private final Progress progress = new Progress();
        /** Known to the watchdog from the call's start. */
        private volatile Waiter waiter;

        PendingCall(ProjectPool pool, Invocation invocation, long started) {
            this.pool = pool;
            this.invocation = invocation;
            this.started = started;
        }

        /**
         * Admitted by the call that freed its slot: runs next on that call's worker, once that call has ended and
         * given back its place among the server's running calls.
         */
        @Override
        public void admitted() {
            try {
                handOff.executeNext(invocation.function().functionId(), () -> {
                    if (ready()) {
                        runOnWorker();
                    }
                });
            } catch (RejectedExecutionException e) {
                pool.release();
                outcome.complete(shuttingDown(started));
            }
        }

        @Override
        public void turnedAway(boolean poolClosed) {
            outcome.complete(poolClosed ? busy("Busy: the project's runtime was shut down", started)
                    : busy("Busy: no call slot of this project freed up within "
                            + settings.queueTimeout().toSeconds() + " s; try again shortly", started));
        }

        /** Admitted at once: hands the call to a worker. */
        void start() {
            if (!ready()) {
                return;
            }
            try {
                // Python runs on a platform thread of its own, never on the caller's virtual thread: a virtual thread
                // is never preempted, and two CPU-bound calls would hold both carriers of a 2-core machine, stopping
                // every other request of the server until their timeouts.
                handOff.execute(invocation.function().functionId(), this::runOnWorker);
            } catch (RejectedExecutionException e) {
                notReady();
                outcome.complete(shuttingDown(started));
            }
        }

        /**
         * For an admitted call: takes one of the server's running calls and the watchdog's eye; false, with the slot
         * freed and the caller told, when the call is not to run.
         */
        private boolean ready() {
            if (outcome.isDone()) { // its caller has gone while it was queued
                pool.release();
                return false;
            }
            if (!runningCalls.tryAcquire()) {
                pool.release();
                outcome.complete(busy("Busy: the server is running " + settings.maxRunningCalls()
                        + " Python calls already; try again shortly", started));
                return false;
            }
            // Known to the watchdog before the call can start; after destroy() has begun, whose look at the waits may
            // have passed this one, the call does not start.
            Waiter watched = new Waiter(outcome, progress, System.nanoTime() + settings.warmUpWait().toNanos(),
                    invocation.function().timeout().plus(settings.stopGrace()).toNanos());
            waiter = watched;
            waiting.add(watched);
            if (destroyed) {
                notReady();
                outcome.complete(shuttingDown(started));
                return false;
            }
            return true;
        }

        private void notReady() {
            waiting.remove(waiter);
            runningCalls.release();
            pool.release();
        }

        private void runOnWorker() {
            Outcome result = null;
            Throwable failure = null;
            CALLING_FUNCTION.set(invocation.function().functionId());
            try {
                result = runAdmitted(pool, invocation, timedOut, progress, started);
            } catch (Throwable e) {
                failure = e;
            } finally {
                CALLING_FUNCTION.remove();
                runningCalls.release();
                spare.replaceTaken();
            }
            if (failure == null) {
                outcome.complete(result);
            } else {
                outcome.completeExceptionally(failure);
            }
            waiting.remove(waiter); // once told, its caller needs no watching
        }

        /** Waits on the caller's thread for the outcome. */
        Outcome await() {
            FunctionCode function = invocation.function();
            try {
                handOff.awaitBriefly(outcome, function.functionId(),
                        runningCalls.availablePermits() >= settings.maxRunningCalls() - 1);
                Outcome told = outcome.get();
                if (progress.abandoned()) { // the watchdog ended the wait: the version is still loading
                    return busy("Starting: the function's code is still loading in a new context (importing a"
                            + " framework takes seconds); try again in " + retryAfterLoading() + " s",
                            retryAfterLoading(), started);
                }
                return told;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                progress.abandon(); // a call not yet running never will: its caller is told it did not run
                outcome.cancel(true);
                pool.withdraw(this); // if still queued; admitted meanwhile, it gives its slot back unrun
                return shuttingDown(started);
            } catch (CancellationException e) { // the runtime shut down while the call ran
                return shuttingDown(started);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof PastPatience) {
                    // The call ignored cancellation (a long builtin such as a huge power): answer now. Its context is
                    // already marked broken; the call keeps its own slot until it ends, so its project's cap bounds
                    // how many such calls one project can hold.
                    return timeoutOutcome(function, "", "", started);
                }
                log.error("The runtime failed running {}", function.key(), e.getCause());
                return Outcome.failure(Outcome.Kind.ERROR, 500, "InternalError: the runtime failed; it has been"
                        + " logged", "", "", null, System.nanoTime() - started);
            } finally {
                Waiter watched = waiter;
                if (watched != null) {
                    waiting.remove(watched);
                }
            }
        }
    }

    /**
     * Where an admitted call is: its version loading into the context, the call itself running, or left by its
     * caller, who was told to come back while the version loads (the context then goes back to the pool warm).
     */
    private static final class Progress {
        private enum Phase { LOADING, RUNNING, ABANDONED }

        private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.LOADING);
        /** When the call itself started running (0: not yet): its timeout counts from there. */
        final AtomicLong startedRunning = new AtomicLong();

        /** The version is loaded: the call runs, unless its caller has gone (false). */
        boolean running() {
            startedRunning.set(System.nanoTime() | 1); // never 0, which means "not started"; set first, see await
            return phase.compareAndSet(Phase.LOADING, Phase.RUNNING);
        }

        /** The caller stops waiting for the version to load; false when the call is running already. */
        boolean abandon() {
            return phase.compareAndSet(Phase.LOADING, Phase.ABANDONED);
        }

        boolean abandoned() {
            return phase.get() == Phase.ABANDONED;
        }
    }

    /**
     * A caller waiting for its call's outcome. It waits without a timer (a timed wait of a virtual thread schedules
     * and cancels a task of the JDK's delay scheduler on every call, whose thread wakes each time: ~5 % of a warm
     * call's CPU at 16 connections); the watchdog ends the wait instead, on its look every few milliseconds:
     * while the version loads (or the call waits for a context), after the warm-up wait, as a framework app's import
     * in a new context takes seconds and no caller should hang on it for long; once the call runs, when it has run
     * for its patience (its timeout and the stop's grace) and has not ended, as a builtin that ignores cancellation
     * does. Making a context is not part of the call's timeout.
     */
    private record Waiter(CompletableFuture<Outcome> outcome, Progress progress, long loadingUntil,
            long patienceNanos) {

        void endIfLate(long now) {
            long since = progress.startedRunning.get();
            if (since != 0) {
                if (now - since >= patienceNanos) {
                    outcome.completeExceptionally(PastPatience.INSTANCE);
                }
            } else if (now - loadingUntil >= 0 && progress.abandon()) {
                outcome.complete(null); // the caller sees the abandoned progress and is told to come back
            }
            // else still loading within the warm-up wait, or it started running meanwhile (running() records when
            // before it takes the phase): the next look decides
        }
    }

    /** Ends a caller's wait for a call that has run past its patience; no stack trace, none is looked at. */
    private static final class PastPatience extends RuntimeException {
        static final PastPatience INSTANCE = new PastPatience();

        private PastPatience() {
            super("the call ran past its timeout and the stop's grace", null, false, false);
        }
    }

    /** Seconds after which a caller told that the code is still loading should try again. */
    private long retryAfterLoading() {
        return Math.max(1, settings.warmUpWait().toSeconds() / 6);
    }

    /** The call's Retry-After: a slot of a busy project usually frees within a second. */
    private static Outcome busy(String error, long started) {
        return busy(error, 1, started);
    }

    private static Outcome busy(String error, long retryAfterSeconds, long started) {
        return new Outcome(Outcome.Kind.BUSY, 503, Map.of("Retry-After", Long.toString(retryAfterSeconds)), null,
                null, "", "", error, null, System.nanoTime() - started);
    }

    private static Outcome shuttingDown(long started) {
        return Outcome.failure(Outcome.Kind.ERROR, 503, "Unavailable: the server is shutting down", "", "", null,
                System.nanoTime() - started);
    }

    /** Runs on a worker thread, holding one of the project's slots, which it frees when done. */
    private Outcome runAdmitted(ProjectPool pool, Invocation invocation, AtomicBoolean timedOut,
            Progress progress, long started) {
        FunctionCode function = invocation.function();
        long allocatedBefore = heapGuard.allocatedByCurrentThread();
        SandboxedContext context;
        try {
            context = pool.take(function.key(), progress::abandoned);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.release();
            return shuttingDown(started);
        }
        if (context == null) { // the caller left while the call waited for a context: the slot goes to another
            pool.release();
            return busy("Starting: the caller was told to come back", started);
        }
        boolean loading = !context.isLoaded(function);
        // The call is measured from here: making its context is the runtime's allocation, not the function's.
        // Loading (module-level code, a framework's import) has a limit of its own, outside the call's timeout.
        Call call = new Call(context, heapGuard.allocatedByCurrentThread(), timedOut, stopper, loading,
                loading ? settings.loadTimeout() : function.timeout());
        running.put(context, call);
        try {
            if (settings.statementLimit() > 0) {
                context.context.resetLimits();
            }
            context.unloadOtherVersions(function);
            Value result = context.ensureLoaded(function, this::filesJson, this::settingsJson);
            if (result == null && loading) {
                if (!call.extend(function.timeout()) || timedOut.get()) { // stopped as the load ended
                    context.broken = true;
                    String output = context.out.take();
                    String logs = context.err.take();
                    return call.outOfMemory().get() ? memoryErrorOutcome(output, logs, started)
                            : loadTimeoutOutcome(output, logs, started);
                }
                if (!progress.running()) { // the caller has gone: the version's next call here reports the load
                    context.keepLoadOutput(function);
                    return busy("Starting: the caller was told to come back", started);
                }
                loading = false;
                call.isLoading().set(false);
                if (settings.statementLimit() > 0) {
                    context.context.resetLimits(); // the import's statements are not the call's
                }
            } else if (result == null && !progress.running()) {
                // the caller left while this call waited for a context being warmed: it is warm now, for the next
                return busy("Starting: the caller was told to come back", started);
            }
            if (result == null) {
                result = context.invoke(function.key(), metaJson(invocation),
                        new String(invocation.body(), StandardCharsets.ISO_8859_1));
            }
            return GuestOutcome.read(result, context.out.take(), context.err.take(), System.nanoTime() - started,
                    json);
        } catch (PolyglotException e) {
            String output = context.out.take();
            String logs = context.err.take();
            if (call.outOfMemory().get() || isMemoryError(e)) {
                context.broken = true;
                return memoryErrorOutcome(output, logs, started);
            }
            // A tripped statement limit also cancels the context: tell it apart from a timeout.
            if ((timedOut.get() || e.isCancelled() || e.isInterrupted()) && !e.isResourceExhausted()) {
                context.broken = true;
                return loading ? loadTimeoutOutcome(output, logs, started)
                        : timeoutOutcome(function, output, logs, started);
            }
            return failure(e, context, output, logs, System.nanoTime() - started);
        } finally {
            if (call.end()) {
                context.broken = true; // stopped as it ended: the stop closes it, no other call may have it
            }
            running.remove(context);
            context.addAllocated(heapGuard.allocatedByCurrentThread() - allocatedBefore);
            handOff.ending(); // the slot given back may go to a queued call, which this worker runs next
            pool.giveBack(context);
        }
    }

    private static Outcome memoryErrorOutcome(String output, String logs, long started) {
        return Outcome.failure(Outcome.Kind.ERROR, 500,
                "MemoryError: the function used too much memory and was stopped", output, logs, null,
                System.nanoTime() - started);
    }

    private static boolean isMemoryError(PolyglotException e) {
        return e.isResourceExhausted() && String.valueOf(e.getMessage()).contains("OutOfMemory");
    }

    private Outcome failure(PolyglotException e, SandboxedContext context, String output, String logs,
            long nanos) {
        String message = String.valueOf(e.getMessage());
        if (e.isExit()) {
            context.broken = true;
            return Outcome.failure(Outcome.Kind.ERROR, 500, "SystemExit: the function called sys.exit("
                    + e.getExitStatus() + ")", output, logs, null, nanos);
        }
        if (e.isResourceExhausted()) {
            context.broken = true;
            return Outcome.failure(Outcome.Kind.ERROR, 500, "StatementLimit: the call ran more than "
                    + settings.statementLimit() + " Python statements", output, logs, null, nanos);
        }
        if (message.contains("SecurityException") || message.contains("is not allowed")) {
            // The sandbox refused an operation in a way Python cannot catch.
            context.broken = true;
            return Outcome.failure(Outcome.Kind.ERROR, 500, "PermissionError: " + sandboxMessage(message), output,
                    logs, null, nanos);
        }
        if (e.isGuestException() && !e.isInternalError()) {
            // Raised while loading the module (module-level code), outside the prelude's handler.
            return Outcome.failure(Outcome.Kind.ERROR, 500, message, output, logs, guestTrace(e), nanos);
        }
        context.broken = true;
        log.error("Python runtime failure", e);
        return Outcome.failure(Outcome.Kind.ERROR, 500, "InternalError: the runtime failed; it has been logged",
                output, logs, null, nanos);
    }

    private static String sandboxMessage(String message) {
        String text = message.replaceFirst("^.*?(java\\.lang\\.)?SecurityException:\\s*", "");
        int hint = text.indexOf(", to enable");
        return (hint > 0 ? text.substring(0, hint) : text).strip() + " in a CocoCloud function";
    }

    private static String guestTrace(PolyglotException e) {
        StringBuilder trace = new StringBuilder("Traceback (most recent call last):\n");
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            if (frame.isGuestFrame() && frame.getSourceLocation() != null
                    && !frame.getSourceLocation().getSource().getName().startsWith("<cococloud>")) {
                trace.append("  File \"").append(frame.getSourceLocation().getSource().getName())
                        .append("\", line ").append(frame.getSourceLocation().getStartLine())
                        .append(", in ").append(frame.getRootName()).append('\n');
            }
        }
        return trace.append(e.getMessage()).toString();
    }

    private Outcome loadTimeoutOutcome(String output, String logs, long started) {
        return Outcome.failure(Outcome.Kind.TIMEOUT, 504, "The function's code did not finish loading within "
                + settings.loadTimeout().toSeconds() + " s (its module-level code and imports)", output, logs, null,
                System.nanoTime() - started);
    }

    private Outcome timeoutOutcome(FunctionCode function, String output, String logs, long started) {
        return Outcome.failure(Outcome.Kind.TIMEOUT, 504,
                "Function timed out after " + function.timeout().toSeconds() + " s", output, logs, null,
                System.nanoTime() - started);
    }

    /**
     * The request as request.py reads it (decoded there only when the function reads the request). Written field by
     * field rather than through maps of maps: a warm call's own Java work is a few microseconds, and this was most of
     * it (issue 15).
     */
    String metaJson(Invocation invocation) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator out = json.createGenerator(text)) {
            out.writeStartObject();
            out.writeStringProperty("method", invocation.method());
            out.writeStringProperty("path", invocation.path());
            out.writeName("headers");
            pairs(out, invocation.headers());
            out.writeName("query");
            pairs(out, invocation.query());
            out.writeName("params");
            out.writeStartObject();
            for (Map.Entry<String, String> param : invocation.params().entrySet()) {
                out.writeStringProperty(param.getKey(), param.getValue());
            }
            out.writeEndObject();
            out.writeStringProperty("timestamp", Instant.now().toString());
            out.writeStringProperty("project_id", invocation.function().projectId().toString());
            out.writeName("user");
            out.writePOJO(invocation.user());
            out.writeStringProperty("request_id", invocation.requestId());
            out.writeStringProperty("mount_path", invocation.mountPath());
            out.writeStringProperty("route_prefix", invocation.routePrefix());
            out.writeStringProperty("query_string", invocation.queryString());
            Invocation.Peer peer = invocation.peer() == null ? Invocation.Peer.LOCAL : invocation.peer();
            out.writeName("peer");
            out.writeStartObject();
            out.writeStringProperty("scheme", peer.scheme());
            out.writeStringProperty("server_name", peer.serverName());
            out.writeNumberProperty("server_port", peer.serverPort());
            out.writeStringProperty("remote_address", peer.remoteAddress());
            out.writeEndObject();
            // bytes as a latin-1 string: one char per byte, whatever the event holds
            out.writeStringProperty("raw_event", invocation.rawEvent() == null ? null
                    : new String(invocation.rawEvent(), StandardCharsets.ISO_8859_1));
            out.writeEndObject();
        }
        return text.toString();
    }

    /** Name/value pairs as a list of two-item lists. */
    private static void pairs(JsonGenerator out, List<Map.Entry<String, String>> entries) {
        out.writeStartArray();
        for (Map.Entry<String, String> entry : entries) {
            out.writeStartArray();
            out.writeString(entry.getKey());
            out.writeString(entry.getValue());
            out.writeEndArray();
        }
        out.writeEndArray();
    }

    private String settingsJson(FunctionCode function) {
        String entryFile = function.entryFile();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("project_id", function.projectId().toString());
        settings.put("function_id", function.functionId().toString());
        settings.put("name", function.name());
        settings.put("version", function.version());
        settings.put("style", function.style());
        settings.put("entry_file", entryFile);
        settings.put("entry_name", function.entryName());
        // Function Compute's handler setting: the entry file without .py, a dot, the method ("index.handler")
        settings.put("handler", entryFile.replaceFirst("\\.py$", "").replace('/', '.') + "." + function.entryName());
        settings.put("timeout", function.timeout().toSeconds());
        // context.function.memory in MB: no call may hold more than this share of the heap (the heap guard)
        settings.put("memory", (long) (Runtime.getRuntime().maxMemory() * this.settings.heapLimit()) >> 20);
        // the project's own origin when projects have one (coco.public-domain), as static() renders it
        settings.put("static_base_url", templates.staticBaseUrl(function.projectId()));
        settings.put("base_url", templates.baseUrl(function.projectId()));
        return json.writeValueAsString(settings);
    }

    /** The version's Python files' paths: the loader reads their sources from the context's file system. */
    private String filesJson(FunctionCode function) {
        return json.writeValueAsString(function.files().keySet());
    }

    private ProjectPool pool(UUID projectId) {
        return pools.computeIfAbsent(projectId, id -> {
            ProjectServices services = new ProjectServices(id, templates, database, json, secrets, mail);
            return new ProjectPool(projectLimits.of(id), settings.usesPerContext(), () -> {
                awaitWarmUp();
                SandboxedContext spare = this.spare.take();
                SandboxedContext context = spare != null ? spare : newUnboundContext();
                engine.bind(context.context, services);
                return context;
            }, this::inherit, retainedMemoryGuard::tight, workers);
        });
    }

    /** A functions' context, not yet given to a project (see SpareContext). */
    private SandboxedContext newUnboundContext() {
        return SandboxedContext.unbound(engine, settings);
    }

    @EventListener
    void limitsChanged(ProjectLimitsChanged event) {
        ProjectPool pool = pools.get(event.projectId());
        if (pool != null) {
            pool.limits(projectLimits.of(event.projectId()));
        }
    }

    /**
     * Another node's changes may have been missed: every pool takes its project's limits as they are now (a missed
     * deletion or package change is covered by the registry and sites, which load anew, and by the idle timeout).
     */
    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        pools.forEach((projectId, pool) -> pool.limits(projectLimits.of(projectId)));
    }

    /** A deleted project's warm contexts go once the deletion commits, and its running calls are stopped. */
    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        ProjectPool pool = pools.remove(event.projectId());
        if (pool != null) {
            pool.contexts().forEach(context -> stop(context, stopper));
            pool.close();
        }
    }

    /**
     * The project's package layer changed: its warm contexts hold modules imported from the old one, so they go.
     * The pool stays; an idle context closes now, one running a call finishes it and closes when given back (a
     * layer change does not cut calls off), and the next call gets a new context that imports the layer as it is.
     */
    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE) // before the function registry and the sites warm the project again
    void packagesChanged(ProjectPackagesChanged event) {
        ProjectPool pool = pools.get(event.projectId());
        if (pool != null) {
            pool.contexts().forEach(pool::discardIfIdle);
        }
    }

    private List<SandboxedContext> allContexts() {
        return pools.values().stream().flatMap(pool -> pool.contexts().stream()).toList();
    }

    /** What the call the context runs has allocated so far, or -1 when it runs none. */
    private long currentCallAllocation(SandboxedContext context) {
        Call call = running.get(context);
        return call == null ? -1 : heapGuard.allocatedSinceStart(call);
    }

    /**
     * The retained-memory guard's verdict: stop the context's call if it has one, else close it if idle; false when
     * it is neither (lent to a call not yet running, or just ended), so the guard's next reading looks again.
     */
    private boolean discardForMemory(SandboxedContext context) {
        Call call = running.get(context);
        if (call != null) {
            return call.stopForMemory(); // false: it has just ended, and the next reading finds the context idle
        }
        return pools.values().stream().anyMatch(pool -> pool.closeIfIdle(context));
    }

    /** Calls of the project holding a slot now (running, or stopped but not yet ended). */
    int runningCalls(UUID projectId) {
        ProjectPool pool = pools.get(projectId);
        return pool == null ? 0 : pool.runningCalls();
    }

    /** Each project's pool as it is now, for {@link RuntimeMetrics}. */
    Map<UUID, ProjectPool> pools() {
        return java.util.Collections.unmodifiableMap(pools);
    }

    /** Warm contexts of this many projects, and how many in all (for metrics and benchmarks). */
    public int liveContexts() {
        return pools.values().stream().mapToInt(ProjectPool::liveContexts).sum();
    }

    private void evictIdleContexts() {
        pools.forEach((projectId, pool) -> {
            int closed = pool.evictIdle(settings.idleTimeout());
            if (closed > 0) {
                log.debug("Closed {} idle Python contexts of project {}", closed, projectId);
            }
        });
    }

    private Context checkContext() {
        if (checkContext == null) {
            awaitWarmUp(); // made when the first check needs it: a restart's first call does not wait behind it
            checkContext = engine.newCheckContext();
        }
        return checkContext;
    }

    @Override
    public void destroy() {
        destroyed = true;
        retainedMemoryGuard.close();
        watchdog.shutdownNow();
        waiting.forEach(waiter -> waiter.outcome().cancel(false)); // no watchdog ends their waits any more
        guardThread.shutdownNow();
        workers.shutdownNow();
        stopper.shutdown();
        pools.values().forEach(ProjectPool::close);
        spare.close();
        // Closing the engine cancels what still runs; only then may the check context's lock be awaited (a deploy
        // check holds it while it makes that context, seconds on a busy machine). A builtin that ignores
        // cancellation (7 ** 30_000_000) can still hold the close for minutes: the JVM's exit never waits for it.
        try {
            if (!engine.closeWithin(Duration.ofSeconds(5))) {
                log.warn("The Python engine is still closing after 5 s (a call ignores cancellation); not waiting");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (checkLock) {
            if (checkContext != null) {
                checkContext.close(true);
            }
        }
    }

    private static ThreadFactory threads(String prefix, long stackSize) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(null, task, prefix + count.incrementAndGet(), stackSize);
            thread.setDaemon(true);
            return thread;
        };
    }
}
