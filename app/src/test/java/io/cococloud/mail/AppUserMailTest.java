package io.cococloud.mail;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** The app-user flows' mails (password reset, email verification) as real mails through the outbox. */
@IntegrationTest
class AppUserMailTest {

    private static final Pattern LINK = Pattern.compile("https?://[^\"\\s]+\\?token=(coco_[a-z]t_[A-Za-z0-9_-]+)");

    static TestSmtp smtp;

    @LocalServerPort
    int port;

    AdminApi owner;
    String projectId;
    String key;

    @BeforeAll
    static void smtpServer() {
        smtp = TestSmtp.start();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @BeforeEach
    void aProjectWithAClientKeyWhoseMailGoesToTheTestServer() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        key = owner.post(API + "/projects/" + projectId + "/keys", Map.of("kind", "client")).expect(201).json()
                .get("key").asString();
        smtp.useFor(owner, projectId);
    }

    private AdminApi.Response client(String path, Object body, String accessToken) {
        Map<String, String> headers = accessToken == null ? Map.of("x-api-key", key)
                : Map.of("x-api-key", key, "Authorization", "Bearer " + accessToken);
        return AdminApi.anonymous(port).send("POST", "/auth-collections" + path, body, headers);
    }

    private String signUp(String email) {
        return client("/signup", Map.of("email", email, "password", "password-1"), null).expect(201).json()
                .get("access_token").asString();
    }

    private static String email() {
        return "user-" + UUID.randomUUID() + "@example.test";
    }

    private static String token(String body) {
        Matcher link = LINK.matcher(body);
        assertThat(link.find()).as("a link with the token in %s", body).isTrue();
        return link.group(1);
    }

    @Test
    void forgotPasswordMailsAResetLinkWhoseTokenResetsThePassword() {
        String email = email();
        signUp(email);
        client("/forgot-password", Map.of("email", email), null).expect(200);

        MimeMessage mail = smtp.await(email, 1).getFirst();
        assertThat(mailSubject(mail)).isEqualTo("Reset your password");
        String html = TestSmtp.content(mail, "text/html");
        assertThat(html).contains("/p/" + projectId + "/reset-password?token=coco_rt_", "60 minutes");
        assertThat(TestSmtp.content(mail, "text/plain")).contains("?token=coco_rt_");
        String token = token(html);

        client("/reset-password", Map.of("token", token, "new_password", "password-2"), null).expect(200);
        client("/login", Map.of("email", email, "password", "password-2"), null).expect(200);
    }

    @Test
    void verifyEmailMailsALinkWhoseTokenVerifiesTheAddress() {
        String email = email();
        String access = signUp(email);
        client("/verify-email/send", null, access).expect(200);

        MimeMessage mail = smtp.await(email, 1).getFirst();
        assertThat(mailSubject(mail)).isEqualTo("Verify your email address");
        String html = TestSmtp.content(mail, "text/html");
        assertThat(html).contains("/p/" + projectId + "/verify-email?token=coco_vt_", "24 hours");

        assertThat(client("/verify-email/verify", Map.of("token", token(html)), null).expect(200).json()
                .get("email_verified").asBoolean()).isTrue();
    }

    @Test
    void theProjectsOwnTemplateReplacesTheBuiltInOne() {
        owner.post(API + "/projects/" + projectId + "/email-templates", Map.of("id", "reset_password",
                "subject", "Your {{ user.data.app }} password",
                "html", "<a href=\"https://myapp.example/reset?t={{ token }}\">Reset</a> within {{ expires_in_minutes }}"
                        + " min, {{ email }}")).expect(201);
        String email = email();
        client("/signup", Map.of("email", email, "password", "password-1", "data", Map.of("app", "Acme")), null)
                .expect(201);
        client("/forgot-password", Map.of("email", email), null).expect(200);

        MimeMessage mail = smtp.await(email, 1).getFirst();
        assertThat(mailSubject(mail)).isEqualTo("Your Acme password");
        assertThat(TestSmtp.content(mail, "text/html")).startsWith("<a href=\"https://myapp.example/reset?t=coco_rt_")
                .endsWith(" within 60 min, " + email);
    }

    @Test
    void aBrokenProjectTemplateFallsBackToTheBuiltInOne() {
        owner.post(API + "/projects/" + projectId + "/email-templates", Map.of("id", "verify_email",
                "subject", "Verify", "html", "{% if token %}{{ 1 + }}{% endif %}")).expect(201);
        String email = email();
        String access = signUp(email);
        client("/verify-email/send", null, access).expect(200);
        MimeMessage mail = smtp.await(email, 1).getFirst();
        assertThat(TestSmtp.content(mail, "text/html")).contains("?token=coco_vt_");
    }

    private static String mailSubject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
