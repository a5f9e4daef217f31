package io.cococloud.ratelimit;

import java.time.Clock;
import java.time.Duration;

/**
 * Limits password guessing: failed logins per account and per client address in a sliding window, a 429 with
 * Retry-After once either is at its limit. An attempt is reserved before its password is checked and settled
 * after, so N parallel attempts check at most the limit's worth of passwords, never N.
 */
public final class LoginAttempts {

    private final int maxPerAccount;
    private final int maxPerAddress;
    private final FailureWindow failures;

    public LoginAttempts(int maxPerAccount, int maxPerAddress, Duration window, Clock clock) {
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
        this.failures = new FailureWindow(window, clock);
    }

    /** Too many failed logins lately: the caller should wait {@link #retryAfter()} (answered 429 by the API). */
    public static final class TooMany extends RuntimeException {

        private final Duration retryAfter;

        TooMany(Duration retryAfter) {
            super("Too many failed logins; try again in " + Math.max(1, retryAfter.toSeconds()) + " seconds", null,
                    false, false);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** Reserves an attempt for this account and address, or throws {@link TooMany}. */
    public Attempt begin(String accountKey, String addressKey) {
        Duration byAccount = failures.tryReserve(accountKey, maxPerAccount);
        if (!byAccount.isZero()) {
            throw tooMany(byAccount);
        }
        Duration byAddress = failures.tryReserve(addressKey, maxPerAddress);
        if (!byAddress.isZero()) {
            failures.settle(accountKey, false);
            throw tooMany(byAddress);
        }
        return new Attempt(accountKey, addressKey);
    }

    private static TooMany tooMany(Duration wait) {
        return new TooMany(wait);
    }

    /** One login attempt in progress: a failure unless {@link #succeeded} is called before it is closed. */
    public final class Attempt implements AutoCloseable {

        private final String accountKey;
        private final String addressKey;
        private boolean settled;

        private Attempt(String accountKey, String addressKey) {
            this.accountKey = accountKey;
            this.addressKey = addressKey;
        }

        /** The password was right: the account's failures are forgotten. */
        public void succeeded() {
            if (!settled) {
                settled = true;
                failures.settle(accountKey, false);
                failures.settle(addressKey, false);
                failures.forget(accountKey);
            }
        }

        /** Counts as a failure unless it succeeded (also when the check itself threw). */
        @Override
        public void close() {
            if (!settled) {
                settled = true;
                failures.settle(accountKey, true);
                failures.settle(addressKey, true);
            }
        }
    }
}
