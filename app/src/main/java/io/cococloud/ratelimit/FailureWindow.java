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
 * and how long until a key is under its limit again. In memory: each app node counts on its own.
 */
public final class FailureWindow {

    /** Past this many keys, keys whose failures have all expired are dropped. */
    private static final int MAX_TRACKED_KEYS = 100_000;

    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public FailureWindow(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    /** Zero when {@code key} has fewer than {@code limit} failures in the window; else the wait. */
    public Duration retryAfter(String key, int limit) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        synchronized (times) {
            prune(times, now);
            return times.size() < limit ? Duration.ZERO : Duration.between(now, times.peekFirst().plus(window));
        }
    }

    /** Counts one failure against each key. */
    public void record(String... keys) {
        Instant now = clock.instant();
        if (failures.size() > MAX_TRACKED_KEYS) {
            failures.values().removeIf(times -> {
                synchronized (times) {
                    return prune(times, now).isEmpty();
                }
            });
        }
        for (String key : keys) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (times) {
                times.addLast(now);
            }
        }
    }

    public void forget(String key) {
        failures.remove(key);
    }

    private Deque<Instant> prune(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
            times.removeFirst();
        }
        return times;
    }
}
