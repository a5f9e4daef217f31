package io.cococloud.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One project's share of the runtime: its call slots, its queue, and its warm contexts (PocketBase's
 * jsvm pool is the model). A call first {@linkplain #admit is admitted} to one of the project's slots (or waits
 * in the project's own bounded queue until a call that ends passes its slot on), then {@linkplain #take takes} an
 * idle context or makes one, and finally {@linkplain #giveBack gives it back}, which frees the slot.
 * A project at its cap waits or is refused by itself: nothing it does holds a thread or a slot of another
 * project. Contexts of one project are never lent to another, so one tenant's leftovers (globals, patched
 * modules) never meet another's code. A context past its use limit keeps serving while its replacement is
 * made in the background and loaded with the versions the old one had (a framework app's import is seconds), so no
 * caller waits for a new context because an old one retired.
 *
 * <p>Memory decides how far a project's pool grows: while the heap is tight (RetainedMemoryGuard), a call finds
 * no idle context of its project and the project has one already, the call waits for one to come back rather than
 * make another (a Django context holds 150–250 MB). A context that took long to load (a framework app) stays
 * {@value #SLOW_LOAD_IDLE_FACTOR} times longer when idle than the idle timeout.
 */
final class ProjectPool {

    /** What became of a call asking for a slot. */
    enum Admission { ADMITTED, QUEUED, QUEUE_FULL, TIMED_OUT }

    /** Loading that took longer than this makes a context one worth keeping idle longer. */
    static final long SLOW_LOAD_NANOS = 1_000_000_000L;
    static final int SLOW_LOAD_IDLE_FACTOR = 6;

    private final int usesPerContext;
    private final Supplier<SandboxedContext> factory;
    /** Loads into a new context (the second) the versions an old one (the first) had. */
    private final BiConsumer<SandboxedContext, SandboxedContext> inherit;
    private final BooleanSupplier memoryTight;
    private final Executor background;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition contextReturned = lock.newCondition();
    /** Most recently used first, so a few contexts stay hot and the rest can idle out. */
    private final Deque<SandboxedContext> idle = new ArrayDeque<>();
    /** Contexts lent out now, for the memory guard. */
    private final List<SandboxedContext> lent = new ArrayList<>();
    /** Versions being loaded into a context outside a call, with how many contexts are loading each. */
    private final java.util.Map<String, Integer> warming = new java.util.HashMap<>();
    /** Warm-ups waiting for the one running, oldest first (see {@link #warmUp}). */
    private final Deque<Runnable> warmUps = new ArrayDeque<>();
    private boolean warmUpRunning;
    private CallLimits limits;
    private int running;
    /** Calls waiting for a slot, oldest first. */
    private final Deque<QueuedCall> queue = new ArrayDeque<>();
    /** The queue's length, also read without the lock by the watchdog's looks. */
    private volatile int waiting;
    private int live;
    private boolean closed;

    ProjectPool(CallLimits limits, int usesPerContext, Supplier<SandboxedContext> factory,
            BiConsumer<SandboxedContext, SandboxedContext> inherit, BooleanSupplier memoryTight, Executor background) {
        this.limits = limits;
        this.usesPerContext = usesPerContext;
        this.factory = factory;
        this.inherit = inherit;
        this.memoryTight = memoryTight;
        this.background = background;
    }

    /** A pool whose successors start empty and which grows whatever the memory (unit tests). */
    ProjectPool(CallLimits limits, int usesPerContext, Supplier<SandboxedContext> factory, Executor background) {
        this(limits, usesPerContext, factory, (from, to) -> { }, () -> false, background);
    }

    /**
     * Asks for one of the project's call slots for {@code call}: {@link Admission#ADMITTED} when one is free (the
     * caller runs the call), {@link Admission#QUEUED} when the call waits in the project's queue, at most {@code
     * wait}, or {@link Admission#QUEUE_FULL} at once when the queue holds the project's bound already (or {@code wait}
     * is zero). A queued call is told once what became of it: {@linkplain WaitingCall#admitted admitted} by the call
     * that freed its slot, on that call's thread, or {@linkplain WaitingCall#turnedAway turned away}.
     *
     * <p>The slot passes from the call that frees it to the oldest queued call directly, so that the freeing worker can
     * run the next call itself: waking the queued caller's thread, for it to hand its call to a worker that had gone
     * back to its pool, cost two thread wake-ups per call whenever a project had more calls than slots
     * (bench/README.md, "The slot passed on"). The wait has no timer of its own: {@link #endLateWaits} ends it once it
     * has run out (a timed wait of a virtual thread, a caller's, schedules and cancels a task of the JDK's delay
     * scheduler, whose thread wakes each time: measured ~4 % of a query function's CPU at 8 connections).
     */
    Admission admit(Duration wait, WaitingCall call) {
        lock.lock();
        try {
            requireOpen();
            if (running < limits.concurrent()) {
                running++;
                return Admission.ADMITTED;
            }
            if (queue.size() >= limits.queued() || !wait.isPositive()) {
                return Admission.QUEUE_FULL;
            }
            queue.add(new QueuedCall(System.nanoTime() + wait.toNanos(), call));
            waiting = queue.size();
            return Admission.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits on the calling thread for one of the project's slots, at most {@code wait}: {@link Admission#ADMITTED},
     * {@link Admission#QUEUE_FULL} or {@link Admission#TIMED_OUT}.
     *
     * @throws IllegalStateException when the pool is closed, before or during the wait
     */
    Admission admit(Duration wait) throws InterruptedException {
        CompletableFuture<Admission> told = new CompletableFuture<>();
        WaitingCall caller = new WaitingCall() {
            @Override
            public void admitted() {
                told.complete(Admission.ADMITTED);
            }

            @Override
            public void turnedAway(boolean poolClosed) {
                if (poolClosed) {
                    told.completeExceptionally(new IllegalStateException("the project's runtime was shut down"));
                } else {
                    told.complete(Admission.TIMED_OUT);
                }
            }
        };
        Admission now = admit(wait, caller);
        if (now != Admission.QUEUED) {
            return now;
        }
        try {
            return told.get();
        } catch (InterruptedException e) {
            if (!withdraw(caller) && told.exceptionally(closed -> null).join() == Admission.ADMITTED) {
                release(); // admitted as the caller was interrupted: the slot goes on to the next
            }
            throw e;
        } catch (ExecutionException e) {
            throw (IllegalStateException) e.getCause();
        }
    }

    /**
     * A call waiting in the project's queue, told once what became of it. Both are called without the pool's lock
     * held and must return promptly: {@link #admitted} on the thread of the call that freed the slot.
     */
    interface WaitingCall {

        /** The call holds a slot now (freed by another call); it must run, or give the slot back. */
        void admitted();

        /** The call's wait ran out, or the pool was closed ({@code poolClosed}): it holds no slot. */
        void turnedAway(boolean poolClosed);
    }

    /** Takes a queued call out of the queue: false when it is no longer queued (admitted or turned away). */
    boolean withdraw(WaitingCall call) {
        lock.lock();
        try {
            boolean withdrawn = queue.removeIf(queued -> queued.call == call);
            waiting = queue.size();
            return withdrawn;
        } finally {
            lock.unlock();
        }
    }

    private record QueuedCall(long deadline, WaitingCall call) {
    }

    /**
     * Under the lock, after a slot was freed: the oldest queued call takes it (null when none is queued or the cap,
     * lowered meanwhile, has no room). The caller tells it once the lock is released.
     */
    private WaitingCall passFreedSlot() {
        if (running >= limits.concurrent() || queue.isEmpty()) {
            return null;
        }
        running++;
        QueuedCall next = queue.removeFirst();
        waiting = queue.size();
        return next.call;
    }

    private static void tell(WaitingCall admitted) {
        if (admitted != null) {
            admitted.admitted();
        }
    }

    /**
     * Ends the waits for a slot that have run out by {@code now} ({@link System#nanoTime}): those calls are turned
     * away. The runtime's watchdog calls it on each of its looks, every few milliseconds.
     */
    void endLateWaits(long now) {
        if (waiting == 0) { // most looks: nobody waits, and the lock is left to the calls
            return;
        }
        List<WaitingCall> late = new ArrayList<>();
        lock.lock();
        try {
            queue.removeIf(queued -> {
                if (now - queued.deadline < 0) {
                    return false;
                }
                late.add(queued.call);
                return true;
            });
            waiting = queue.size();
        } finally {
            lock.unlock();
        }
        late.forEach(call -> call.turnedAway(false));
    }

    /**
     * For an admitted call: an idle context, or a new one made on the calling thread. When making one fails the
     * call's slot is freed and the failure thrown.
     */
    SandboxedContext take() throws InterruptedException {
        return take(null, () -> false);
    }

    /**
     * For an admitted call of the version {@code key}: an idle context that has it loaded, else any idle one; when
     * none is idle and a context is being warmed with that version (a deploy's pre-warm), that one once it is warm
     * (a second context would import the same framework again, and both would be slow); else a new one.
     *
     * @param abandoned whether the caller has left: then waiting stops, and the answer is null (the slot is the
     *                  caller's to release)
     */
    SandboxedContext take(String key, BooleanSupplier abandoned) throws InterruptedException {
        lock.lock();
        try {
            SandboxedContext context = pollIdle(key);
            // memory is tight: the project makes do with the contexts it has (they come back within a timeout)
            while (context == null && !closed && (key != null && warming.containsKey(key)
                    || live > 0 && memoryTight.getAsBoolean())) {
                if (abandoned.getAsBoolean()) {
                    return null;
                }
                contextReturned.await(1, java.util.concurrent.TimeUnit.SECONDS); // and look at the memory again
                context = pollIdle(key);
            }
            if (context != null) {
                lent.add(context);
                return context;
            }
            live++;
        } finally {
            lock.unlock();
        }
        SandboxedContext made;
        try {
            made = factory.get();
        } catch (RuntimeException e) {
            WaitingCall next;
            lock.lock();
            try {
                live--;
                running--;
                next = passFreedSlot();
            } finally {
                lock.unlock();
            }
            tell(next);
            throw e;
        }
        lock.lock();
        try {
            lent.add(made);
        } finally {
            lock.unlock();
        }
        return made;
    }

    private SandboxedContext pollIdle(String key) {
        if (key != null) {
            for (SandboxedContext context : idle) {
                if (context.isLoaded(key)) {
                    idle.remove(context);
                    return context;
                }
            }
        }
        return idle.pollFirst();
    }

    /** Whether an idle context has the version loaded, as one has once a warm-up of it has ended. */
    boolean hasIdleContextWith(String key) {
        lock.lock();
        try {
            return idle.stream().anyMatch(context -> context.isLoaded(key));
        } finally {
            lock.unlock();
        }
    }

    /** A context of this pool is being warmed with the version {@code key} (true), or is done with it (false). */
    void warming(String key, boolean started) {
        lock.lock();
        try {
            if (started) {
                warming.merge(key, 1, Integer::sum);
            } else {
                warming.computeIfPresent(key, (k, count) -> count > 1 ? count - 1 : null);
                contextReturned.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code warmUp} in the background once the project's earlier warm-ups have ended, so that they take one
     * context after another (the one the last gave back) instead of each making its own: ten deploys in a row left
     * a project three contexts (six GraalPy threads and ~4 MB of heap each) where one had room for all ten. A warm-up
     * that throws does not stop the ones after it; a closed pool runs none.
     */
    void warmUp(Runnable warmUp) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            warmUps.add(warmUp);
            if (warmUpRunning) {
                return;
            }
            warmUpRunning = true;
        } finally {
            lock.unlock();
        }
        try {
            background.execute(this::runWarmUps);
        } catch (RuntimeException e) { // the runtime is shutting down
            lock.lock();
            try {
                warmUps.clear();
                warmUpRunning = false;
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    private void runWarmUps() {
        while (true) {
            Runnable next;
            lock.lock();
            try {
                next = closed ? null : warmUps.poll();
                if (next == null) {
                    warmUps.clear();
                    warmUpRunning = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // its own failure (a call of the version will report it): the next warm-up still runs
            }
        }
    }

    /** Frees the slot of an admitted call that will not take a context after all. */
    void release() {
        WaitingCall next;
        lock.lock();
        try {
            running--;
            next = passFreedSlot();
        } finally {
            lock.unlock();
        }
        tell(next);
    }

    /** Takes the context back (or closes it when broken) and frees the call's slot. */
    void giveBack(SandboxedContext context) {
        context.uses++;
        boolean discard;
        boolean retire = false;
        WaitingCall next;
        lock.lock();
        try {
            lent.remove(context);
            running--;
            discard = context.broken || closed;
            if (discard) {
                live--;
            } else {
                retire = context.uses >= usesPerContext && !context.retiring;
                context.retiring |= retire;
                context.idleSince = System.nanoTime();
                idle.addFirst(context);
                contextReturned.signal();
            }
            next = passFreedSlot();
        } finally {
            lock.unlock();
        }
        tell(next); // before a discarded context's close, which can take milliseconds
        if (discard) {
            context.close();
        }
        if (retire) {
            background.execute(() -> replace(context));
        }
    }

    /** Makes a successor for a retiring context, then closes the old one (now, or when it comes back). */
    private void replace(SandboxedContext retiring) {
        SandboxedContext successor;
        try {
            successor = factory.get();
        } catch (RuntimeException e) {
            retiring.retiring = false; // keep it; it will try again at its next use
            return;
        }
        try {
            inherit.accept(retiring, successor);
        } catch (RuntimeException e) {
            successor.broken = true;
        }
        if (successor.broken) { // a version's loading failed or ran out of time: the old one serves on
            successor.close();
            retiring.retiring = false;
            return;
        }
        boolean closeNow;
        lock.lock();
        try {
            if (closed || retiring.broken) { // the pool closed, or the old one was discarded meanwhile (memory, layer)
                successor.close();
                return;
            }
            idle.addFirst(successor);
            contextReturned.signal();
            closeNow = idle.remove(retiring);
            if (!closeNow) {
                retiring.broken = true; // in use: closed when given back
                live++;
            }
        } finally {
            lock.unlock();
        }
        if (closeNow) {
            retiring.close();
        }
    }

    /** Closes contexts idle longer than {@code maxIdle} (a slow-loading one: six times that); keeps the others. */
    int evictIdle(Duration maxIdle) {
        long now = System.nanoTime();
        List<SandboxedContext> evicted = new ArrayList<>();
        lock.lock();
        try {
            idle.removeIf(context -> {
                // a retiring context is about to be replaced; its replacement takes care of it
                long allowed = maxIdle.toNanos() * (context.loadNanos() > SLOW_LOAD_NANOS ? SLOW_LOAD_IDLE_FACTOR : 1);
                if (now - context.idleSince > allowed && !context.retiring) {
                    evicted.add(context);
                    return true;
                }
                return false;
            });
            live -= evicted.size();
        } finally {
            lock.unlock();
        }
        evicted.forEach(SandboxedContext::close);
        return evicted.size();
    }

    /** Every context of the project, idle or lent out, as the memory guard sees them. */
    List<SandboxedContext> contexts() {
        lock.lock();
        try {
            List<SandboxedContext> all = new ArrayList<>(idle);
            all.addAll(lent);
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the context if it is idle; a lent one is only marked, and closed when given back. */
    boolean discardIfIdle(SandboxedContext context) {
        return closeIdle(context, true);
    }

    /**
     * Closes the context if it is idle, and leaves a lent one alone: for the memory guard, which stops a running call
     * itself, and must still see (not broken) a context that a call has just taken and is about to run in.
     */
    boolean closeIfIdle(SandboxedContext context) {
        return closeIdle(context, false);
    }

    private boolean closeIdle(SandboxedContext context, boolean markIfLent) {
        lock.lock();
        try {
            boolean wasIdle = idle.remove(context);
            if (wasIdle || markIfLent) {
                context.broken = true;
            }
            if (!wasIdle) {
                return false;
            }
            live--;
        } finally {
            lock.unlock();
        }
        context.close();
        return true;
    }

    void limits(CallLimits newLimits) {
        List<WaitingCall> admitted = new ArrayList<>();
        lock.lock();
        try {
            limits = newLimits;
            for (WaitingCall next = passFreedSlot(); next != null; next = passFreedSlot()) {
                admitted.add(next); // a raised cap admits waiting calls now
            }
        } finally {
            lock.unlock();
        }
        admitted.forEach(WaitingCall::admitted);
    }

    CallLimits limits() {
        lock.lock();
        try {
            return limits;
        } finally {
            lock.unlock();
        }
    }

    int liveContexts() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }

    int runningCalls() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** Calls waiting in the project's queue for a slot. */
    int waitingCalls() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the idle contexts now and the lent ones when they come back; waiting calls are refused. */
    void close() {
        List<SandboxedContext> all;
        List<QueuedCall> refused;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(idle);
            live -= idle.size();
            idle.clear();
            refused = new ArrayList<>(queue);
            queue.clear();
            waiting = 0;
            contextReturned.signalAll();
        } finally {
            lock.unlock();
        }
        refused.forEach(queued -> queued.call.turnedAway(true));
        all.forEach(SandboxedContext::close);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the project's runtime was shut down");
        }
    }
}
