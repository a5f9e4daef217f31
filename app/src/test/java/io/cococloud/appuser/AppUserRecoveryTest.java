package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;
import io.cococloud.token.OpaqueTokens;

/** Forgotten passwords and email verification through the client API, with tokens read from the mail seam. */
@IntegrationTest
class AppUserRecoveryTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    RecordingAppUserMail mail;

    AppUsers app;

    @BeforeEach
    void project() {
        app = AppUsers.newProject(port);
    }

    @Test
    void forgotPasswordAnswersTheSameForKnownAndUnknownAddresses() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        String known = app.call("POST", "/forgot-password", Map.of("email", email)).expect(200).body();
        String unknown = app.call("POST", "/forgot-password", Map.of("email", AppUsers.email())).expect(200).body();
        assertThat(known).isEqualTo(unknown).contains("\"message\"");
    }

    @Test
    void forgotPasswordMailsAResetTokenValidForOneHour() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        app.call("POST", "/forgot-password", Map.of("email", email)).expect(200);
        RecordingAppUserMail.Sent sent = mail.last("reset", app.projectId, email).orElseThrow();
        assertThat(sent.token()).startsWith("coco_rt_");
        assertThat(sent.validFor()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void forgotPasswordForAnUnknownAddressMailsNothing() {
        String email = AppUsers.email();
        app.call("POST", "/forgot-password", Map.of("email", email)).expect(200);
        assertThat(mail.count("reset", app.projectId, email)).isZero();
    }

    @Test
    void theDatabaseHoldsOnlyTheHashOfAResetToken() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        String token = resetToken(email);
        List<Map<String, Object>> rows = db.queryForList("SELECT token_hash, expires_at - created_at AS lifetime"
                + " FROM app_user_tokens WHERE project_id = ? AND purpose = 'reset_password'",
                UUID.fromString(app.projectId));
        assertThat(rows).hasSize(1);
        assertThat((byte[]) rows.getFirst().get("token_hash")).isEqualTo(OpaqueTokens.hash(token));
        assertThat(rows.getFirst().get("lifetime").toString()).contains("1 hour");
    }

    @Test
    void aResetTokenSetsTheNewPasswordAndEndsEverySession() {
        String email = AppUsers.email();
        String session = app.signUp(email, "password-1");
        String token = resetToken(email);
        JsonNode answer = app.call("POST", "/reset-password", Map.of("token", token, "new_password",
                "brand-new-password")).expect(200).json();
        assertThat(answer.get("message").asString()).isNotBlank();
        app.callAs("GET", "/user", null, session).expect(401);
        app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(401);
        app.call("POST", "/login", Map.of("email", email, "password", "brand-new-password")).expect(200);
    }

    @Test
    void aResetTokenWorksOnlyOnce() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        String token = resetToken(email);
        app.call("POST", "/reset-password", Map.of("token", token, "new_password", "new-password-1")).expect(200);
        JsonNode problem = app.call("POST", "/reset-password", Map.of("token", token, "new_password",
                "new-password-2")).expect(400).json();
        assertThat(problem.get("detail").asString()).contains("token");
        app.call("POST", "/login", Map.of("email", email, "password", "new-password-1")).expect(200);
    }

    @Test
    void anExpiredResetTokenIs400NamingIt() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        String token = resetToken(email);
        db.update("UPDATE app_user_tokens SET expires_at = now() - interval '1 second' WHERE project_id = ?"
                + " AND token_hash = ?", UUID.fromString(app.projectId), OpaqueTokens.hash(token));
        JsonNode problem = app.call("POST", "/reset-password", Map.of("token", token, "new_password",
                "new-password-1")).expect(400).json();
        assertThat(problem.get("detail").asString()).contains("token has expired");
        app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(200);
    }

    @Test
    void aWeakNewPasswordIs400AndLeavesTheTokenUsable() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        String token = resetToken(email);
        JsonNode problem = app.call("POST", "/reset-password", Map.of("token", token, "new_password", "short"))
                .expect(400).json();
        assertThat(problem.get("detail").asString()).contains("password must be at least 8 characters");
        app.call("POST", "/reset-password", Map.of("token", token, "new_password", "long-enough")).expect(200);
    }

    @Test
    void aNewerResetTokenReplacesTheOlderOne() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        String first = resetToken(email);
        String second = resetToken(email);
        app.call("POST", "/reset-password", Map.of("token", first, "new_password", "new-password-1")).expect(400);
        app.call("POST", "/reset-password", Map.of("token", second, "new_password", "new-password-1")).expect(200);
    }

    @Test
    void forgotPasswordMailsAreDroppedSilentlyPastThreeIn15Minutes() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        for (int i = 0; i < 5; i++) {
            app.call("POST", "/forgot-password", Map.of("email", email)).expect(200);
        }
        assertThat(mail.count("reset", app.projectId, email)).isEqualTo(3);
    }

    @Test
    void aDisabledUserGetsNoResetMail() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        db.update("UPDATE app_users SET disabled = true WHERE project_id = ? AND email = ?",
                UUID.fromString(app.projectId), email);
        app.call("POST", "/forgot-password", Map.of("email", email)).expect(200);
        assertThat(mail.count("reset", app.projectId, email)).isZero();
    }

    @Test
    void sendingAVerificationMailNeedsASignedInUser() {
        app.call("POST", "/verify-email/send", null).expect(401);
        app.call("POST", "/verify-email/resend", null).expect(401);
    }

    @Test
    void verifyEmailSendThenVerifyMarksTheUserVerified() {
        String email = AppUsers.email();
        String session = app.signUp(email, "password-1");
        JsonNode sent = app.callAs("POST", "/verify-email/send", null, session).expect(200).json();
        assertThat(sent.get("message").asString()).isNotBlank();
        assertThat(sent.get("expires_in_hours").asInt()).isEqualTo(24);
        String token = mail.last("verify", app.projectId, email).orElseThrow().token();
        assertThat(token).startsWith("coco_vt_");

        JsonNode verified = app.call("POST", "/verify-email/verify", Map.of("token", token)).expect(200).json();
        assertThat(verified.get("email_verified").asBoolean()).isTrue();
        assertThat(verified.get("verified_at").asString()).isNotBlank();
        assertThat(verified.get("message").asString()).isNotBlank();
        JsonNode me = app.callAs("GET", "/user", null, session).expect(200).json();
        assertThat(me.get("email_verified").asBoolean()).isTrue();
        assertThat(me.get("email_verified_at").asString()).isEqualTo(verified.get("verified_at").asString());
    }

    @Test
    void aVerificationTokenWorksOnlyOnce() {
        String email = AppUsers.email();
        String session = app.signUp(email, "password-1");
        app.callAs("POST", "/verify-email/send", null, session).expect(200);
        String token = mail.last("verify", app.projectId, email).orElseThrow().token();
        app.call("POST", "/verify-email/verify", Map.of("token", token)).expect(200);
        JsonNode problem = app.call("POST", "/verify-email/verify", Map.of("token", token)).expect(400).json();
        assertThat(problem.get("detail").asString()).contains("token");
    }

    @Test
    void resendReplacesTheEarlierVerificationToken() {
        String email = AppUsers.email();
        String session = app.signUp(email, "password-1");
        app.callAs("POST", "/verify-email/send", null, session).expect(200);
        String first = mail.last("verify", app.projectId, email).orElseThrow().token();
        app.callAs("POST", "/verify-email/resend", null, session).expect(200);
        String second = mail.last("verify", app.projectId, email).orElseThrow().token();
        app.call("POST", "/verify-email/verify", Map.of("token", first)).expect(400);
        app.call("POST", "/verify-email/verify", Map.of("token", second)).expect(200);
    }

    @Test
    void verificationMailsAreLimitedTo3Per15MinutesWith429AndRetryAfter() {
        String session = app.signUp(AppUsers.email(), "password-1");
        app.callAs("POST", "/verify-email/send", null, session).expect(200);
        app.callAs("POST", "/verify-email/resend", null, session).expect(200);
        app.callAs("POST", "/verify-email/resend", null, session).expect(200);
        AdminApi.Response limited = app.callAs("POST", "/verify-email/resend", null, session).expect(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 900L);
        assertThat(limited.json().get("type").asString()).isEqualTo("urn:cococloud:problem:rate-limited");
    }

    @Test
    void sendingVerificationForAVerifiedAddressIs409() {
        String email = AppUsers.email();
        String session = app.signUp(email, "password-1");
        app.callAs("POST", "/verify-email/send", null, session).expect(200);
        app.call("POST", "/verify-email/verify", Map.of("token", mail.last("verify", app.projectId, email)
                .orElseThrow().token())).expect(200);
        app.callAs("POST", "/verify-email/send", null, session).expect(409);
    }

    @Test
    void changingTheEmailMakesItUnverified() {
        String email = AppUsers.email();
        String session = app.signUp(email, "password-1");
        app.callAs("POST", "/verify-email/send", null, session).expect(200);
        app.call("POST", "/verify-email/verify", Map.of("token", mail.last("verify", app.projectId, email)
                .orElseThrow().token())).expect(200);
        JsonNode changed = app.callAs("PATCH", "/user", Map.of("email", AppUsers.email(), "current_password", "password-1"), session).expect(200)
                .json();
        assertThat(changed.get("email_verified").asBoolean()).isFalse();
        assertThat(changed.get("email_verified_at").isNull()).isTrue();
    }

    @Test
    void changingTheEmailVoidsAnUnusedVerificationLink() {
        String email = AppUsers.email();
        String session = app.signUp(email, "password-1");
        app.callAs("POST", "/verify-email/send", null, session).expect(200);
        String oldLink = mail.last("verify", app.projectId, email).orElseThrow().token();
        app.callAs("PATCH", "/user", Map.of("email", AppUsers.email(), "current_password", "password-1"), session).expect(200);
        app.call("POST", "/verify-email/verify", Map.of("token", oldLink)).expect(400);
        assertThat(app.callAs("GET", "/user", null, session).expect(200).json().get("email_verified").asBoolean())
                .isFalse();
    }

    @Test
    void changingTheEmailOnlyInCaseKeepsItVerified() {
        String email = AppUsers.email();
        String session = app.signUp(email, "password-1");
        app.callAs("POST", "/verify-email/send", null, session).expect(200);
        app.call("POST", "/verify-email/verify", Map.of("token", mail.last("verify", app.projectId, email)
                .orElseThrow().token())).expect(200);
        JsonNode changed = app.callAs("PATCH", "/user", Map.of("email", email.toUpperCase(), "current_password", "password-1"), session).expect(200)
                .json();
        assertThat(changed.get("email").asString()).isEqualTo(email.toUpperCase());
        assertThat(changed.get("email_verified").asBoolean()).isTrue();
    }

    @Test
    void sessionUseIsRecordedAtMostOncePerMinute() {
        String session = app.signUp(AppUsers.email(), "password-1");
        UUID project = UUID.fromString(app.projectId);
        byte[] hash = OpaqueTokens.hash(session);
        String read = "SELECT last_used_at::text FROM app_user_tokens WHERE project_id = ? AND token_hash = ?";
        assertThat(db.queryForObject(read, String.class, project, hash)).isNull();
        app.callAs("GET", "/user", null, session).expect(200);
        assertThat(db.queryForObject(read, String.class, project, hash)).isNotNull();

        db.update("UPDATE app_user_tokens SET last_used_at = now() - interval '30 seconds' WHERE project_id = ?"
                + " AND token_hash = ?", project, hash);
        String recent = db.queryForObject(read, String.class, project, hash);
        app.callAs("GET", "/user", null, session).expect(200);
        assertThat(db.queryForObject(read, String.class, project, hash)).isEqualTo(recent);

        db.update("UPDATE app_user_tokens SET last_used_at = now() - interval '2 minutes' WHERE project_id = ?"
                + " AND token_hash = ?", project, hash);
        String stale = db.queryForObject(read, String.class, project, hash);
        app.callAs("GET", "/user", null, session).expect(200);
        assertThat(db.queryForObject(read, String.class, project, hash)).isNotEqualTo(stale);
    }

    /** Asks for a reset mail and gives its token. */
    private String resetToken(String email) {
        long before = mail.count("reset", app.projectId, email);
        app.call("POST", "/forgot-password", Map.of("email", email)).expect(200);
        assertThat(mail.count("reset", app.projectId, email)).isEqualTo(before + 1);
        return mail.last("reset", app.projectId, email).orElseThrow().token();
    }
}
