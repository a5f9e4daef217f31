package io.cococloud.appuser;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.cococloud.ratelimit.FailureWindow;
import io.cococloud.web.ApiProblem;

/**
 * Failed app-user logins in a sliding window, per (project, email) and per (project, client
 * address); once either count is at its limit further attempts get a 429 with Retry-After. The
 * address count is per project too, so one project's traffic never locks out another's users.
 * In memory: each app node limits on its own.
 */
@Component
class AppUserLoginThrottle {

    private final int maxPerAccount;
    private final int maxPerAddress;
    private final FailureWindow failures;

    @Autowired
    AppUserLoginThrottle(@Value("${coco.app-users.login.max-failures-per-account:10}") int maxPerAccount,
            @Value("${coco.app-users.login.max-failures-per-address:10}") int maxPerAddress,
            @Value("${coco.app-users.login.window:15m}") Duration window) {
        this(maxPerAccount, maxPerAddress, window, Clock.systemUTC());
    }

    AppUserLoginThrottle(int maxPerAccount, int maxPerAddress, Duration window, Clock clock) {
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
        this.failures = new FailureWindow(window, clock);
    }

    /** Throws a 429 problem when this account or address has failed too often lately. */
    void check(UUID projectId, String email, String address) {
        Duration byAccount = failures.retryAfter(accountKey(projectId, email), maxPerAccount);
        Duration byAddress = failures.retryAfter(addressKey(projectId, address), maxPerAddress);
        Duration wait = byAccount.compareTo(byAddress) >= 0 ? byAccount : byAddress;
        if (!wait.isZero()) {
            throw ApiProblem.rateLimited("Too many failed logins; try again in " + Math.max(1, wait.toSeconds())
                    + " seconds", wait);
        }
    }

    void recordFailure(UUID projectId, String email, String address) {
        failures.record(accountKey(projectId, email), addressKey(projectId, address));
    }

    void recordSuccess(UUID projectId, String email) {
        failures.forget(accountKey(projectId, email));
    }

    private static String accountKey(UUID projectId, String email) {
        return "account:" + projectId + ":" + (email == null ? "" : email.strip().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(UUID projectId, String address) {
        return "address:" + projectId + ":" + address;
    }
}
