package io.cococloud.appuser;

import java.time.Duration;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Stands in for mail delivery until the project mail outbox is wired: it says at INFO that a
 * mail would be sent, naming the user by id only (no address, never the token).
 */
@Component
class LoggingAppUserMail implements AppUserMail {

    private static final Logger log = LoggerFactory.getLogger(LoggingAppUserMail.class);

    @Override
    public void passwordReset(UUID projectId, AppUser user, String token, Duration validFor) {
        log.info("Would mail a password-reset link (valid {} min) to app user {} of project {}; mail delivery"
                + " is not wired yet", validFor.toMinutes(), user.id(), projectId);
    }

    @Override
    public void emailVerification(UUID projectId, AppUser user, String token, Duration validFor) {
        log.info("Would mail an email-verification link (valid {} h) to app user {} of project {}; mail delivery"
                + " is not wired yet", validFor.toHours(), user.id(), projectId);
    }
}
