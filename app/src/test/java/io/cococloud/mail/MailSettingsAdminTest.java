package io.cococloud.mail;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** A project's SMTP settings and delivery log in the admin API. */
@IntegrationTest
class MailSettingsAdminTest {

    @LocalServerPort
    int port;

    @Autowired
    MailOutbox outbox;

    AdminApi owner;
    String projectId;
    String base;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        base = API + "/projects/" + projectId + "/mail";
    }

    private AdminApi member(String role) {
        AdminApi account = AdminApi.newAccount(port);
        owner.addMember(projectId, account, role);
        return account;
    }

    private static Map<String, Object> settings() {
        Map<String, Object> body = new HashMap<>();
        body.put("host", "smtp.example.test");
        body.put("port", 587);
        body.put("security", "starttls");
        body.put("username", "mailer");
        body.put("password_secret", "SMTP_PASSWORD");
        body.put("from_address", "My App <hello@example.test>");
        return body;
    }

    private void secret(String name, String value) {
        owner.put(API + "/projects/" + projectId + "/secrets/" + name, Map.of("value", value)).expect(201);
    }

    @Test
    void aNewProjectUsesTheServerDefault() {
        JsonNode mail = owner.get(base).expect(200).json();
        assertThat(mail.get("settings").isNull()).isTrue();
        assertThat(mail.get("uses_server_default").asBoolean()).isTrue();
        assertThat(mail.get("outbox")).isEmpty();
    }

    @Test
    void settingsAreSavedShownWithoutThePasswordAndDeletedBackToTheDefault() {
        secret("SMTP_PASSWORD", "the-smtp-password");
        JsonNode saved = owner.put(base + "/settings", settings()).expect(200).json();
        assertThat(saved.get("host").asString()).isEqualTo("smtp.example.test");
        assertThat(saved.get("password_secret").asString()).isEqualTo("SMTP_PASSWORD");

        AdminApi.Response shown = owner.get(base).expect(200);
        assertThat(shown.body()).doesNotContain("the-smtp-password");
        JsonNode mail = shown.json();
        assertThat(mail.get("uses_server_default").asBoolean()).isFalse();
        assertThat(mail.get("settings").get("port").asInt()).isEqualTo(587);
        assertThat(mail.get("settings").get("security").asString()).isEqualTo("starttls");
        assertThat(mail.get("settings").get("from_address").asString()).isEqualTo("My App <hello@example.test>");

        owner.delete(base + "/settings").expect(204);
        assertThat(owner.get(base).expect(200).json().get("uses_server_default").asBoolean()).isTrue();
        owner.delete(base + "/settings").expect(204);
    }

    @Test
    void smtpHostsOnTheServersOwnNetworkAreRefused() {
        secret("SMTP_PASSWORD", "x");
        for (String internal : List.of("10.1.2.3", "192.168.0.10", "172.16.5.5", "169.254.169.254", "::1",
                "127.0.0.2", "100.64.0.1", "0.0.0.0", "fd00::1")) {
            Map<String, Object> body = settings();
            body.put("host", internal);
            assertThat(owner.put(base + "/settings", body).expect(400).json().get("detail").asString()).as(internal)
                    .contains("internal address");
        }
        Map<String, Object> allowedByTheOperator = settings();
        allowedByTheOperator.put("host", "127.0.0.1"); // coco.mail.allowed-internal-hosts in the tests
        owner.put(base + "/settings", allowedByTheOperator).expect(200);
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        secret("SMTP_PASSWORD", "x");
        Map<String, String> cases = Map.of(
                "host", "not a host!", "security", "ssl", "from_address", "nobody", "password_secret", "NOT_THERE");
        cases.forEach((field, value) -> {
            Map<String, Object> body = settings();
            body.put(field, value);
            assertThat(owner.put(base + "/settings", body).expect(400).json().get("detail").asString()).as(field)
                    .contains(field);
        });
        Map<String, Object> badPort = settings();
        badPort.put("port", 70000);
        assertThat(owner.put(base + "/settings", badPort).expect(400).body()).contains("port");
        Map<String, Object> noUser = settings();
        noUser.remove("username");
        assertThat(owner.put(base + "/settings", noUser).expect(400).body()).contains("needs a username");
        Map<String, Object> extra = settings();
        extra.put("password", "in clear");
        owner.put(base + "/settings", extra).expect(400);
        assertThat(owner.get(base).expect(200).json().get("settings").isNull()).isTrue();
    }

    @Test
    void onlyAdminsChangeTheSettingsAndEveryMemberReadsTheLog() {
        Map<String, Object> plain = settings();
        plain.remove("password_secret");
        AdminApi developer = member("developer");
        developer.get(base).expect(200);
        assertThat(developer.put(base + "/settings", plain).expect(403).body()).contains("admin");
        developer.delete(base + "/settings").expect(403);
        member("viewer").get(base).expect(200);
        member("admin").put(base + "/settings", plain).expect(200);
    }

    @Test
    void anotherProjectsMembersCannotSeeOrChangeTheMail() {
        Map<String, Object> plain = settings();
        plain.remove("password_secret");
        owner.put(base + "/settings", plain).expect(200);
        AdminApi stranger = AdminApi.newAccount(port);
        stranger.createProject();
        stranger.get(base).expect(404);
        stranger.put(base + "/settings", plain).expect(404);
        stranger.delete(base + "/settings").expect(404);
        assertThat(owner.get(base).expect(200).json().get("settings").get("host").asString())
                .isEqualTo("smtp.example.test");
    }

    @Test
    void theLogFiltersByStatusAndIsLimited() {
        UUID project = UUID.fromString(projectId);
        Map<String, Object> closed = settings();
        closed.remove("password_secret");
        closed.put("host", "127.0.0.1");
        closed.put("port", TestSmtp.down().port()); // undeliverable: the mails stay in the log
        closed.put("security", "none");
        owner.put(base + "/settings", closed).expect(200);
        for (int i = 0; i < 3; i++) {
            outbox.enqueue(project, new OutgoingMail(List.of("r" + i + "@example.test"), null, null, null, "S" + i,
                    null, "body", null));
        }
        JsonNode two = owner.get(base + "?limit=2").expect(200).json().get("outbox");
        assertThat(two).hasSize(2);
        assertThat(two.get(0).get("subject").asString()).isEqualTo("S2");
        assertThat(owner.get(base + "?status=sent").expect(200).json().get("outbox")).isEmpty();
        assertThat(owner.get(base + "?status=bogus").expect(400).json().get("detail").asString()).contains("status");
        owner.get(base + "?limit=0").expect(400);
        owner.get(base + "?limit=501").expect(400);
        AdminApi stranger = AdminApi.newAccount(port);
        String theirs = stranger.createProject();
        assertThat(stranger.get(API + "/projects/" + theirs + "/mail").expect(200).json().get("outbox")).isEmpty();
    }

    @Test
    void mailGoesThroughTheProjectsServerLoggingInWithThePasswordSecret() throws Exception {
        try (TestSmtp smtp = TestSmtp.withLogin("smtp-user", "s3cret-pass")) {
            secret("SMTP_PASSWORD", "s3cret-pass");
            Map<String, Object> login = settings();
            login.put("host", "127.0.0.1");
            login.put("port", smtp.port());
            login.put("security", "none");
            login.put("username", "smtp-user");
            owner.put(base + "/settings", login).expect(200);
            String to = "to-" + UUID.randomUUID() + "@example.test";
            outbox.enqueue(UUID.fromString(projectId), new OutgoingMail(List.of(to), null, null, null, "Logged in",
                    null, "body", null));
            assertThat(smtp.await(to, 1).getFirst().getFrom()[0].toString()).isEqualTo("My App <hello@example.test>");
        }
    }
}
