package io.cococloud.appuser;

import java.time.Duration;
import java.util.UUID;

/**
 * Where the app-user flows hand over the mails they need sent. The token is the secret the
 * mail carries (in a link or as a code); it is nowhere else in clear, so an implementation must
 * not log it. The production implementation (io.cococloud.mail) renders the project's email
 * template and queues the mail in the outbox.
 */
public interface AppUserMail {

    /** A password-reset token for {@code user}, usable once within {@code validFor}. */
    void passwordReset(UUID projectId, AppUser user, String token, Duration validFor);

    /** An email-verification token for {@code user}'s current address, usable once within {@code validFor}. */
    void emailVerification(UUID projectId, AppUser user, String token, Duration validFor);
}
