package io.cococloud.appuser;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.cococloud.web.ApiProblem;

/**
 * Failed app-user logins in a sliding window, per (project, email) and per (project, client
 * address); once either count is at its limit further attempts get a 429 with Retry-After. The
 * address count is per project too, so one project's traffic never locks out another's users.
 * In memory: each app node limits on its own.
 */
@Component
class AppUserLoginThrottle {

    private static final int MAX_TRACKED_KEYS = 100_000;

    private final int maxPerAccount;
    private final int maxPerAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    @Autowired
    AppUserLoginThrottle(@Value("${coco.app-users.login.max-failures-per-account:10}") int maxPerAccount,
            @Value("${coco.app-users.login.max-failures-per-address:10}") int maxPerAddress,
            @Value("${coco.app-users.login.window:15m}") Duration window) {
        this(maxPerAccount, maxPerAddress, window, Clock.systemUTC());
    }

    AppUserLoginThrottle(int maxPerAccount, int maxPerAddress, Duration window, Clock clock) {
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.clock = clock;
    }

    /** Throws a 429 problem when this account or address has failed too often lately. */
    void check(UUID projectId, String email, String address) {
        Instant now = clock.instant();
        Duration a = retryAfter(accountKey(projectId, email), maxPerAccount, now);
        Duration b = retryAfter(addressKey(projectId, address), maxPerAddress, now);
        Duration wait = a.compareTo(b) >= 0 ? a : b;
        if (!wait.isZero()) {
            throw ApiProblem.rateLimited("Too many failed logins; try again in " + Math.max(1, wait.toSeconds())
                    + " seconds", wait);
        }
    }

    void recordFailure(UUID projectId, String email, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_TRACKED_KEYS) {
            failures.values().removeIf(times -> pruned(times, now).isEmpty());
        }
        for (String key : new String[] {accountKey(projectId, email), addressKey(projectId, address)}) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (times) {
                times.addLast(now);
            }
        }
    }

    void recordSuccess(UUID projectId, String email) {
        failures.remove(accountKey(projectId, email));
    }

    private Duration retryAfter(String key, int limit, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Duration.ZERO;
        }
        synchronized (times) {
            pruned(times, now);
            if (times.size() < limit) {
                return Duration.ZERO;
            }
            return Duration.between(now, times.peekFirst().plus(window));
        }
    }

    private Deque<Instant> pruned(Deque<Instant> times, Instant now) {
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
                times.removeFirst();
            }
            return times;
        }
    }

    private static String accountKey(UUID projectId, String email) {
        return "account:" + projectId + ":" + (email == null ? "" : email.strip().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(UUID projectId, String address) {
        return "address:" + projectId + ":" + address;
    }
}
