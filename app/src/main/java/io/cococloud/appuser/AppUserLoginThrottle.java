package io.cococloud.appuser;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.cococloud.ratelimit.LoginAttempts;

/**
 * App-user logins, limited per (project, email) and per (project, client address); a 429 with Retry-After once
 * either is at its limit. The address count is per project too, so one project's traffic never locks out another's
 * users. In memory: each app node limits on its own.
 */
@Component
class AppUserLoginThrottle {

    private final LoginAttempts attempts;

    @Autowired
    AppUserLoginThrottle(@Value("${coco.app-users.login.max-failures-per-account:10}") int maxPerAccount,
            @Value("${coco.app-users.login.max-failures-per-address:10}") int maxPerAddress,
            @Value("${coco.app-users.login.window:15m}") Duration window) {
        this(maxPerAccount, maxPerAddress, window, Clock.systemUTC());
    }

    AppUserLoginThrottle(int maxPerAccount, int maxPerAddress, Duration window, Clock clock) {
        this.attempts = new LoginAttempts(maxPerAccount, maxPerAddress, window, clock);
    }

    /** Reserves this attempt; throws {@link LoginAttempts.TooMany} when the account or address failed too often. */
    LoginAttempts.Attempt begin(UUID projectId, String email, String address) {
        return attempts.begin("account:" + projectId + ":" + (email == null ? "" : email.strip().toLowerCase(Locale.ROOT)),
                "address:" + projectId + ":" + address);
    }
}
