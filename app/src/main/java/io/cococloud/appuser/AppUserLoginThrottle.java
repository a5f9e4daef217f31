package io.cococloud.appuser;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.cococloud.ratelimit.LoginAttempts;
import io.cococloud.ratelimit.LoginFailures;

/**
 * App-user logins, limited per (project, email) and per (project, client address); a 429 with Retry-After once
 * either is at its limit. The address count is per project too, so one project's traffic never locks out another's
 * users. The failures are counted in PostgreSQL (rows of the project), so the limit holds across every app node.
 */
@Component
class AppUserLoginThrottle {

    private final LoginAttempts attempts;

    @Autowired
    AppUserLoginThrottle(@Value("${coco.app-users.login.max-failures-per-account:10}") int maxPerAccount,
            @Value("${coco.app-users.login.max-failures-per-address:10}") int maxPerAddress,
            @Value("${coco.app-users.login.window:15m}") Duration window, LoginFailures failures) {
        this("app_user", maxPerAccount, maxPerAddress, window, Clock.systemUTC(), failures);
    }

    AppUserLoginThrottle(String scope, int maxPerAccount, int maxPerAddress, Duration window, Clock clock,
            LoginFailures failures) {
        this.attempts = new LoginAttempts(scope, maxPerAccount, maxPerAddress, window, clock, failures);
    }

    /** Reserves this attempt; throws {@link LoginAttempts.TooMany} when the account or address failed too often. */
    LoginAttempts.Attempt begin(UUID projectId, String email, String address) {
        String account = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        return attempts.begin(projectId, "account:" + projectId + ":" + account, "address:" + projectId + ":" + address);
    }
}
