package io.cococloud.appuser;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.error.ConflictException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.TooManyRequestsException;
import io.cococloud.ratelimit.FailureWindow;
import io.cococloud.token.OpaqueTokens;

/**
 * Password reset and email verification of app users. Each flow mails a single-use random token
 * (stored only as its SHA-256 in {@code app_user_tokens}); presenting it deletes the row, so a
 * token works once, and asking again replaces the user's earlier token of that purpose.
 * Mails per user are limited in a sliding window, in memory per app node like the login throttle.
 */
@Service
class AppUserRecovery {

    private static final Logger log = LoggerFactory.getLogger(AppUserRecovery.class);

    static final Duration RESET_LIFETIME = Duration.ofHours(1);
    static final Duration VERIFY_LIFETIME = Duration.ofHours(24);
    static final String RESET_PREFIX = "coco_rt_";
    static final String VERIFY_PREFIX = "coco_vt_";
    private static final String RESET = "reset_password";
    private static final String VERIFY = "verify_email";

    private final JdbcClient jdbc;
    private final AppUserService users;
    private final AppUserMail mail;
    private final int maxResetMails;
    private final int maxVerifyMails;
    private final FailureWindow sent;

    @Autowired
    AppUserRecovery(JdbcClient jdbc, AppUserService users, AppUserMail mail,
            @Value("${coco.app-users.mail.max-reset-mails:3}") int maxResetMails,
            @Value("${coco.app-users.mail.max-verification-mails:3}") int maxVerifyMails,
            @Value("${coco.app-users.mail.window:15m}") Duration window) {
        this.jdbc = jdbc;
        this.users = users;
        this.mail = mail;
        this.maxResetMails = maxResetMails;
        this.maxVerifyMails = maxVerifyMails;
        this.sent = new FailureWindow(window, Clock.systemUTC());
    }

    /**
     * Mails a reset token when the address belongs to an enabled user of the project. Says
     * nothing either way: the caller answers the same for every address, so the endpoint does
     * not tell who has an account. Past the mail limit the request is dropped just as silently
     * (a mailbox must not be flooded through this endpoint).
     */
    @Transactional
    void forgotPassword(UUID projectId, String email) {
        AppUser user = users.findByEmail(projectId, email).orElse(null);
        if (user == null || disabled(projectId, user.id())) {
            return;
        }
        String key = "reset:" + projectId + ":" + user.id();
        if (!sent.retryAfter(key, maxResetMails).isZero()) {
            log.info("Password-reset mail for app user {} of project {} dropped: {} sent in the window", user.id(),
                    projectId, maxResetMails);
            return;
        }
        String token = issue(projectId, user.id(), RESET, RESET_PREFIX, RESET_LIFETIME);
        sent.record(key);
        mail.passwordReset(projectId, user, token, RESET_LIFETIME);
    }

    /**
     * Sets a new password with a reset token: the policy is checked first (a weak password does
     * not use the token up), then the token is consumed and every session of the user ends.
     */
    @Transactional
    void resetPassword(UUID projectId, String token, String newPassword) {
        AppUserService.checkPasswordPolicy(newPassword);
        String userId = consume(projectId, token, RESET, "password reset");
        users.update(projectId, userId, null, null, newPassword, null);
    }

    /** Mails a verification token for the user's address; 409 when verified, 429 past the limit. */
    @Transactional
    Duration sendVerification(UUID projectId, AppUser user) {
        if (user.emailVerified()) {
            throw new ConflictException("The email address " + user.email() + " is verified already");
        }
        String key = "verify:" + projectId + ":" + user.id();
        Duration wait = sent.retryAfter(key, maxVerifyMails);
        if (!wait.isZero()) {
            throw new TooManyRequestsException("At most " + maxVerifyMails + " verification mails are sent per user in "
                    + "15 minutes; try again in " + Math.max(1, wait.toSeconds()) + " seconds", wait);
        }
        String token = issue(projectId, user.id(), VERIFY, VERIFY_PREFIX, VERIFY_LIFETIME);
        sent.record(key);
        mail.emailVerification(projectId, user, token, VERIFY_LIFETIME);
        return VERIFY_LIFETIME;
    }

    /** Marks the token's user's address verified (keeping an earlier time) and gives the time. */
    @Transactional
    Instant verifyEmail(UUID projectId, String token) {
        String userId = consume(projectId, token, VERIFY, "email verification");
        return jdbc.sql("""
                UPDATE app_users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
                WHERE project_id = ? AND id = ? RETURNING email_verified_at""").params(projectId, userId)
                .query((rs, n) -> AppUserService.instant(rs, "email_verified_at")).list().getFirst();
    }

    /** A new token for the user, replacing their earlier ones of the same purpose. */
    private String issue(UUID projectId, String userId, String purpose, String prefix, Duration lifetime) {
        jdbc.sql("DELETE FROM app_user_tokens WHERE project_id = ? AND user_id = ? AND purpose = ?")
                .params(projectId, userId, purpose).update();
        String token = OpaqueTokens.generate(prefix);
        jdbc.sql("""
                INSERT INTO app_user_tokens (project_id, token_hash, user_id, purpose, expires_at)
                VALUES (?, ?, ?, ?, now() + make_interval(secs => ?))""")
                .params(projectId, OpaqueTokens.hash(token), userId, purpose, (double) lifetime.toSeconds()).update();
        return token;
    }

    /**
     * Deletes the token and gives its user; 400 naming the token when it is unknown (never
     * issued, used already, replaced, or another project's) or expired. A disabled user's
     * token counts as unknown.
     */
    private String consume(UUID projectId, String token, String purpose, String what) {
        List<Consumed> found = jdbc.sql("""
                DELETE FROM app_user_tokens t USING app_users u
                WHERE t.project_id = ? AND t.token_hash = ? AND t.purpose = ?
                  AND u.project_id = t.project_id AND u.id = t.user_id AND NOT u.disabled
                RETURNING t.user_id, t.expires_at > now() AS live""")
                .params(projectId, OpaqueTokens.hash(token.strip()), purpose)
                .query((rs, n) -> new Consumed(rs.getString("user_id"), rs.getBoolean("live"))).list();
        if (found.isEmpty()) {
            throw new InvalidInputException("token is not a valid " + what + " token; it may have been used or"
                    + " replaced by a newer one");
        }
        if (!found.getFirst().live()) {
            // the problem rolls the delete back; the row is dead anyway and the next token of its
            // purpose replaces it
            throw new InvalidInputException("token has expired; ask for a new " + what + " mail");
        }
        return found.getFirst().userId();
    }

    private boolean disabled(UUID projectId, String userId) {
        return Boolean.TRUE.equals(jdbc.sql("SELECT disabled FROM app_users WHERE project_id = ? AND id = ?")
                .params(projectId, userId).query(Boolean.class).single());
    }

    private record Consumed(String userId, boolean live) {}
}
