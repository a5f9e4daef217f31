package io.cococloud.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.cococloud.web.ApiProblem;

/**
 * Counts failed logins in a sliding window, per account and per client address, and refuses
 * further attempts once either count is at its limit (a 429 with Retry-After). In memory: each
 * app node limits on its own, which still caps guessing at nodes × limit per window.
 */
@Component
class LoginThrottle {

    private static final int MAX_TRACKED_KEYS = 100_000;

    private final int maxPerAccount;
    private final int maxPerAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    @Autowired
    LoginThrottle(@Value("${coco.admin.login.max-failures-per-account}") int maxPerAccount,
            @Value("${coco.admin.login.max-failures-per-address}") int maxPerAddress,
            @Value("${coco.admin.login.window}") Duration window) {
        this(maxPerAccount, maxPerAddress, window, Clock.systemUTC());
    }

    LoginThrottle(int maxPerAccount, int maxPerAddress, Duration window, Clock clock) {
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.clock = clock;
    }

    /** Throws a 429 problem when this account or address has failed too often lately. */
    void check(String email, String address) {
        Instant now = clock.instant();
        Duration wait = max(retryAfter(accountKey(email), maxPerAccount, now),
                retryAfter(addressKey(address), maxPerAddress, now));
        if (!wait.isZero()) {
            throw ApiProblem.rateLimited("Too many failed logins; try again in " + Math.max(1, wait.toSeconds())
                    + " seconds", wait);
        }
    }

    void recordFailure(String email, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_TRACKED_KEYS) {
            failures.values().removeIf(times -> pruned(times, now).isEmpty());
        }
        for (String key : new String[] {accountKey(email), addressKey(address)}) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (times) {
                times.addLast(now);
            }
        }
    }

    void recordSuccess(String email) {
        failures.remove(accountKey(email));
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

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String accountKey(String email) {
        return "account:" + email.strip().toLowerCase();
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
