package io.cococloud.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.cococloud.error.TooManyRequestsException;

/**
 * Limits password guessing: failed logins per account and per client address in a window, a 429 with Retry-After
 * once either is at its limit. The failures are kept in PostgreSQL ({@link LoginFailures}), so every app node
 * counts the same ones. An attempt is reserved before its password is checked and settled after, so N parallel
 * attempts on a node check at most the limit's worth of passwords, never N (attempts in progress are counted per
 * node: they last a password check, and a node that dies must not leave them counted).
 */
public final class LoginAttempts {

    private final String scope;
    private final int maxPerAccount;
    private final int maxPerAddress;
    private final Duration window;
    private final Clock clock;
    private final LoginFailures failures;
    /** Attempts of this node still checking their password, per key. */
    private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

    /**
     * @param scope which logins these are ("admin", "app_user"): keys are unique within it
     */
    public LoginAttempts(String scope, int maxPerAccount, int maxPerAddress, Duration window, Clock clock,
            LoginFailures failures) {
        this.scope = scope;
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.clock = clock;
        this.failures = failures;
    }

    /** Too many failed logins lately: the caller should wait {@link #retryAfter()} (answered 429 by the API). */
    public static final class TooMany extends TooManyRequestsException {

        TooMany(Duration retryAfter) {
            super("Too many failed logins; try again in " + Math.max(1, retryAfter.toSeconds()) + " seconds",
                    retryAfter);
        }
    }

    /** Reserves an attempt for this account and address, or throws {@link TooMany}. */
    public Attempt begin(String accountKey, String addressKey) {
        return begin(null, accountKey, addressKey);
    }

    /** As {@link #begin(String, String)}, for keys of a project (their rows go with it). */
    public Attempt begin(UUID projectId, String accountKey, String addressKey) {
        Duration byAccount = tryReserve(accountKey, maxPerAccount);
        if (!byAccount.isZero()) {
            throw new TooMany(byAccount);
        }
        Duration byAddress = tryReserve(addressKey, maxPerAddress);
        if (!byAddress.isZero()) {
            release(accountKey);
            throw new TooMany(byAddress);
        }
        return new Attempt(projectId, accountKey, addressKey);
    }

    /**
     * Zero, and the attempt reserved, when the key's failures and attempts in progress are under the limit. The
     * attempt is counted in progress before the failures are read: an attempt that ends meanwhile records its failure
     * before it stops being in progress, so it is seen in one count or the other (at worst in both, which refuses
     * early, never late). Read the other way round, a failure recorded between the read and the reservation was in
     * neither, and parallel guesses checked one password more than the limit.
     */
    private Duration tryReserve(String key, int limit) {
        int[] othersInProgress = new int[1];
        inProgress.compute(key, (k, running) -> {
            othersInProgress[0] = running == null ? 0 : running;
            return othersInProgress[0] + 1;
        });
        Instant now = clock.instant();
        LoginFailures.Window current;
        try {
            current = failures.window(scope, key, window, now).orElse(null);
        } catch (RuntimeException e) {
            release(key);
            throw e;
        }
        int failed = current == null ? 0 : current.failures();
        if (failed + othersInProgress[0] < limit) {
            return Duration.ZERO;
        }
        release(key);
        // At the limit through attempts still in progress only: they end within a second or so.
        return failed == 0 ? Duration.ofSeconds(1) : Duration.between(now, current.start().plus(window));
    }

    private void release(String key) {
        inProgress.computeIfPresent(key, (k, running) -> running <= 1 ? null : running - 1);
    }

    /** One login attempt in progress: a failure unless {@link #succeeded} is called before it is closed. */
    public final class Attempt implements AutoCloseable {

        private final UUID projectId;
        private final String accountKey;
        private final String addressKey;
        private boolean settled;

        private Attempt(UUID projectId, String accountKey, String addressKey) {
            this.projectId = projectId;
            this.accountKey = accountKey;
            this.addressKey = addressKey;
        }

        /** The password was right: the account's failures are forgotten. */
        public void succeeded() {
            if (!settled) {
                settled = true;
                release(accountKey);
                release(addressKey);
                failures.forget(scope, accountKey);
            }
        }

        /** Counts as a failure unless it succeeded (also when the check itself threw). */
        @Override
        public void close() {
            if (!settled) {
                settled = true;
                try {
                    Instant now = clock.instant();
                    failures.record(scope, accountKey, projectId, window, now);
                    failures.record(scope, addressKey, projectId, window, now);
                } finally {
                    release(accountKey);
                    release(addressKey);
                }
            }
        }
    }
}
