package io.cococloud.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures per key in a sliding time window (e.g. failed logins per account and per address),
 * and how long until a key is under its limit again. Attempts in progress count against the limit
 * too ({@link #tryReserve}), so parallel attempts cannot all pass the check before any of them has
 * failed. In memory: each app node counts on its own.
 */
public final class FailureWindow {

    /** Past this many keys, keys whose failures have all expired are dropped. */
    private static final int MAX_TRACKED_KEYS = 100_000;

    private final Duration window;
    private final Clock clock;
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    /** One key's failures in the window and its attempts in progress; guarded by itself. */
    private static final class Counts {
        final Deque<Instant> failures = new ArrayDeque<>();
        int inProgress;
    }

    public FailureWindow(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    /** Zero when {@code key} has fewer than {@code limit} failures in the window; else the wait. */
    public Duration retryAfter(String key, int limit) {
        Counts times = counts.get(key);
        if (times == null) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        synchronized (times) {
            return wait(prune(times, now), limit, 0, now);
        }
    }

    /**
     * Reserves an attempt when the key's failures and attempts in progress are under {@code limit}, and answers
     * zero; else answers the wait and reserves nothing. Every reservation ends with {@link #settle}.
     */
    public Duration tryReserve(String key, int limit) {
        Instant now = clock.instant();
        Counts times = counts.computeIfAbsent(key, k -> new Counts());
        synchronized (times) {
            Duration wait = wait(prune(times, now), limit, times.inProgress, now);
            if (wait.isZero()) {
                times.inProgress++;
            }
            return wait;
        }
    }

    /** Ends a reservation: counted as a failure, or forgotten. */
    public void settle(String key, boolean failed) {
        Counts times = counts.computeIfAbsent(key, k -> new Counts());
        synchronized (times) {
            times.inProgress = Math.max(0, times.inProgress - 1);
            if (failed) {
                times.failures.addLast(clock.instant());
            }
        }
    }

    /** Counts one failure against each key. */
    public void record(String... keys) {
        Instant now = clock.instant();
        dropExpiredKeys(now);
        for (String key : keys) {
            Counts times = counts.computeIfAbsent(key, k -> new Counts());
            synchronized (times) {
                times.failures.addLast(now);
            }
        }
    }

    /** Forgets the key's failures (after a success); attempts in progress still count. */
    public void forget(String key) {
        Counts times = counts.get(key);
        if (times != null) {
            synchronized (times) {
                times.failures.clear();
            }
        }
    }

    private void dropExpiredKeys(Instant now) {
        if (counts.size() > MAX_TRACKED_KEYS) {
            counts.values().removeIf(times -> {
                synchronized (times) {
                    return prune(times, now).failures.isEmpty() && times.inProgress == 0;
                }
            });
        }
    }

    private Duration wait(Counts times, int limit, int inProgress, Instant now) {
        if (times.failures.size() + inProgress < limit) {
            return Duration.ZERO;
        }
        // At the limit through attempts still in progress only: they end within a second or so.
        return times.failures.isEmpty() ? Duration.ofSeconds(1)
                : Duration.between(now, times.failures.peekFirst().plus(window));
    }

    private Counts prune(Counts times, Instant now) {
        while (!times.failures.isEmpty() && !times.failures.peekFirst().plus(window).isAfter(now)) {
            times.failures.removeFirst();
        }
        return times;
    }
}
