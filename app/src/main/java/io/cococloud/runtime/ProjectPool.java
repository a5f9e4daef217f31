package io.cococloud.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The warm contexts of one project (PocketBase's jsvm pool is the model): borrow, run, give
 * back. With none idle a new one is made, one at a time and up to a bound; beyond that callers
 * queue until a context comes back or their wait runs out. Contexts of one project are never
 * lent to another, so one tenant's leftovers (globals, patched modules) never meet another's code.
 * A context past its use limit keeps serving while its replacement is made in the background,
 * so no caller waits for a new context because an old one retired.
 */
final class ProjectPool {

    private final int maxContexts;
    private final int usesPerContext;
    private final Supplier<SandboxedContext> factory;
    private final Executor background;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Most recently used first, so a few contexts stay hot and the rest can idle out. */
    private final Deque<SandboxedContext> idle = new ArrayDeque<>();
    private int live;
    private boolean creating;
    private boolean closed;

    ProjectPool(int maxContexts, int usesPerContext, Supplier<SandboxedContext> factory, Executor background) {
        this.maxContexts = maxContexts;
        this.usesPerContext = usesPerContext;
        this.factory = factory;
        this.background = background;
    }

    /** @return a context for the caller's exclusive use, or null when none freed up in time */
    SandboxedContext borrow(Duration wait) throws InterruptedException {
        long remaining = wait.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("the project's runtime was shut down");
                }
                SandboxedContext context = idle.pollFirst();
                if (context != null) {
                    return context;
                }
                if (!creating && live < maxContexts) {
                    creating = true;
                    live++;
                    break;
                }
                if (remaining <= 0) {
                    return null;
                }
                remaining = changed.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
        try {
            return factory.get();
        } catch (RuntimeException e) {
            lock.lock();
            try {
                live--;
                throw e;
            } finally {
                lock.unlock();
            }
        } finally {
            lock.lock();
            try {
                creating = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    void giveBack(SandboxedContext context) {
        context.uses++;
        boolean discard = context.broken;
        boolean retire = false;
        lock.lock();
        try {
            if (discard || closed) {
                live--;
            } else {
                retire = context.uses >= usesPerContext && !context.retiring;
                context.retiring |= retire;
                context.idleSince = System.nanoTime();
                idle.addFirst(context);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (discard || closed) {
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
        boolean closeNow;
        lock.lock();
        try {
            if (closed) {
                successor.close();
                return;
            }
            idle.addFirst(successor);
            closeNow = idle.remove(retiring);
            if (!closeNow) {
                retiring.broken = true; // in use: closed when given back
                live++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (closeNow) {
            retiring.close();
        }
    }

    /** Closes contexts idle longer than {@code maxIdle}; keeps the others. */
    int evictIdle(Duration maxIdle) {
        long cutoff = System.nanoTime() - maxIdle.toNanos();
        List<SandboxedContext> evicted = new ArrayList<>();
        lock.lock();
        try {
            idle.removeIf(context -> {
                // a retiring context is about to be replaced; its replacement takes care of it
                if (context.idleSince - cutoff < 0 && !context.retiring) {
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

    boolean isEmpty() {
        lock.lock();
        try {
            return live == 0;
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

    void close() {
        List<SandboxedContext> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(idle);
            live -= idle.size();
            idle.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        all.forEach(SandboxedContext::close);
    }
}
