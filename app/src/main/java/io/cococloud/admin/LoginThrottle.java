package io.cococloud.admin;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.cococloud.ratelimit.FailureWindow;
import io.cococloud.web.ApiProblem;

/**
 * Counts failed logins in a sliding window, per account and per client address, and refuses
 * further attempts once either count is at its limit (a 429 with Retry-After). In memory: each
 * app node limits on its own, which still caps guessing at nodes × limit per window.
 */
@Component
class LoginThrottle {

    private final int maxPerAccount;
    private final int maxPerAddress;
    private final FailureWindow failures;

    @Autowired
    LoginThrottle(@Value("${coco.admin.login.max-failures-per-account}") int maxPerAccount,
            @Value("${coco.admin.login.max-failures-per-address}") int maxPerAddress,
            @Value("${coco.admin.login.window}") Duration window) {
        this(maxPerAccount, maxPerAddress, window, Clock.systemUTC());
    }

    LoginThrottle(int maxPerAccount, int maxPerAddress, Duration window, Clock clock) {
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
        this.failures = new FailureWindow(window, clock);
    }

    /** Throws a 429 problem when this account or address has failed too often lately. */
    void check(String email, String address) {
        Duration byAccount = failures.retryAfter(accountKey(email), maxPerAccount);
        Duration byAddress = failures.retryAfter(addressKey(address), maxPerAddress);
        Duration wait = byAccount.compareTo(byAddress) >= 0 ? byAccount : byAddress;
        if (!wait.isZero()) {
            throw ApiProblem.rateLimited("Too many failed logins; try again in " + Math.max(1, wait.toSeconds())
                    + " seconds", wait);
        }
    }

    void recordFailure(String email, String address) {
        failures.record(accountKey(email), addressKey(address));
    }

    void recordSuccess(String email) {
        failures.forget(accountKey(email));
    }

    private static String accountKey(String email) {
        return "account:" + email.strip().toLowerCase();
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
