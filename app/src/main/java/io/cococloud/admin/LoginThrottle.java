package io.cococloud.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.cococloud.ratelimit.LoginAttempts;
import io.cococloud.ratelimit.LoginFailures;

/**
 * Console logins, limited per account and per client address (a 429 with Retry-After). The failures are
 * counted in PostgreSQL, so the limit holds across every app node.
 */
@Component
class LoginThrottle {

    private final LoginAttempts attempts;

    @Autowired
    LoginThrottle(@Value("${coco.admin.login.max-failures-per-account}") int maxPerAccount,
            @Value("${coco.admin.login.max-failures-per-address}") int maxPerAddress,
            @Value("${coco.admin.login.window}") Duration window, LoginFailures failures) {
        this("admin", maxPerAccount, maxPerAddress, window, Clock.systemUTC(), failures);
    }

    LoginThrottle(String scope, int maxPerAccount, int maxPerAddress, Duration window, Clock clock,
            LoginFailures failures) {
        this.attempts = new LoginAttempts(scope, maxPerAccount, maxPerAddress, window, clock, failures);
    }

    /** Reserves this attempt; throws {@link LoginAttempts.TooMany} when the account or address failed too often. */
    LoginAttempts.Attempt begin(String email, String address) {
        return attempts.begin("account:" + email.strip().toLowerCase(Locale.ROOT), "address:" + address);
    }
}
