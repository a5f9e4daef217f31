package io.cococloud.mail;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * The email template editor's server side: a preview renders subject, HTML and text as a real mail's would be
 * (HTML escaped, subject and text not), errors name the part and line; a test mail goes through the project's
 * outbox to its SMTP server and shows in the outbox.
 */
@IntegrationTest
class EmailPreviewAndTestMailTest {

    @LocalServerPort
    int port;

    AdminApi owner;
    String project;
    TestSmtp smtp;

    @BeforeEach
    void projectWithItsOwnSmtpServer() {
        owner = AdminApi.newAccount(port);
        project = owner.createProject();
        smtp = TestSmtp.start();
        smtp.useFor(owner, project);
    }

    @AfterEach
    void stopSmtp() {
        smtp.close();
    }

    private String path(String rest) {
        return API + "/projects/" + project + rest;
    }

    @Test
    void aPreviewRendersSubjectHtmlAndTextAsAMailOfTheTemplateWouldBe() {
        JsonNode preview = owner.post(path("/email-template-preview"), Map.of(
                "subject", "Welcome, {{ name }}\n!", "html", "<p>Hello {{ name }}</p>", "text", "Hello {{ name }}",
                "context", Map.of("name", "Tom & <Jerry>"))).expect(200).json();

        assertThat(preview.get("subject").asString()).isEqualTo("Welcome, Tom & <Jerry> !");
        assertThat(preview.get("html").asString()).isEqualTo("<p>Hello Tom &amp; &lt;Jerry&gt;</p>");
        assertThat(preview.get("text").asString()).isEqualTo("Hello Tom & <Jerry>");
    }

    @Test
    void aPreviewWithoutTextHasNoTextPart() {
        JsonNode preview = owner.post(path("/email-template-preview"), Map.of("subject", "Hi", "html", "<p>x</p>"))
                .expect(200).json();

        assertThat(preview.get("text").isNull()).isTrue();
    }

    @Test
    void aPreviewErrorNamesThePartAndItsLine() {
        JsonNode html = owner.post(path("/email-template-preview"), Map.of("subject", "Hi",
                "html", "<p>one</p>\n{% for %}\n")).expect(400).json();
        assertThat(html.get("field").asString()).isEqualTo("html");
        assertThat(html.get("line").asInt()).isEqualTo(2);
        assertThat(html.get("detail").asString()).startsWith("html: Template error: ");

        JsonNode text = owner.post(path("/email-template-preview"), Map.of("subject", "Hi", "html", "<p>x</p>",
                "text", "a\nb\nc {{ 1 + }}")).expect(400).json();
        assertThat(text.get("field").asString()).isEqualTo("text");
        assertThat(text.get("line").asInt()).isEqualTo(3);

        JsonNode subject = owner.post(path("/email-template-preview"), Map.of("subject", "", "html", "<p>x</p>"))
                .expect(400).json();
        assertThat(subject.get("field").asString()).isEqualTo("subject");
        assertThat(subject.get("detail").asString()).isEqualTo("subject must not be empty");
    }

    @Test
    void aTestMailOfGivenBodiesGoesThroughTheOutboxToTheProjectsSmtpServer() throws Exception {
        JsonNode entry = owner.post(path("/mail/test"), Map.of("to", "dev@example.test", "subject", "Test {{ n }}",
                "html", "<p>Hello {{ who }}</p>", "text", "Hello {{ who }}", "context", Map.of("n", 1, "who", "A&B")))
                .expect(202).json();

        assertThat(entry.get("to").valueStream().map(JsonNode::asString)).containsExactly("dev@example.test");
        assertThat(entry.get("subject").asString()).isEqualTo("Test 1");
        assertThat(entry.get("status").asString()).isEqualTo("queued");
        MimeMessage received = smtp.await("dev@example.test", 1).getFirst();
        assertThat(received.getSubject()).isEqualTo("Test 1");
        assertThat(TestSmtp.content(received, "text/html")).contains("<p>Hello A&amp;B</p>");
        assertThat(TestSmtp.content(received, "text/plain")).contains("Hello A&B");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outboxStatus(entry.get("id").asString())
                .equals("sent"));
    }

    @Test
    void aTestMailOfAStoredTemplateIsRenderedWithTheContextAndNamesTheTemplate() throws Exception {
        owner.post(path("/email-templates"), Map.of("id", "welcome", "subject", "Welcome {{ name }}",
                "html", "<h1>Hi {{ name }}</h1>")).expect(201);

        JsonNode entry = owner.post(path("/mail/test"), Map.of("to", "Dev <dev2@example.test>",
                "template_id", "welcome", "context", Map.of("name", "Ada"))).expect(202).json();

        assertThat(entry.get("template_id").asString()).isEqualTo("welcome");
        MimeMessage received = smtp.await("dev2@example.test", 1).getFirst();
        assertThat(received.getSubject()).isEqualTo("Welcome Ada");
        assertThat(TestSmtp.content(received, "text/html")).contains("<h1>Hi Ada</h1>");
    }

    @Test
    void aBadOrMissingAddressIs400NamingTo() {
        for (String to : List.of("not-an-address", "a@example.test, b@example.test", "")) {
            JsonNode problem = owner.post(path("/mail/test"), Map.of("to", to, "subject", "s", "html", "<p>x</p>"))
                    .expect(400).json();
            assertThat(problem.get("field").asString()).as(to).isEqualTo("to");
        }
        Map<String, Object> noTo = new HashMap<>(Map.of("subject", "s", "html", "<p>x</p>"));
        assertThat(owner.post(path("/mail/test"), noTo).expect(400).json().get("field").asString()).isEqualTo("to");
    }

    @Test
    void aTestMailOfAnUnknownTemplateOrWithBothTemplateAndBodiesIs400() {
        JsonNode unknown = owner.post(path("/mail/test"), Map.of("to", "a@example.test", "template_id", "nope"))
                .expect(400).json();
        assertThat(unknown.get("field").asString()).isEqualTo("template_id");
        assertThat(unknown.get("detail").asString()).isEqualTo("template_id 'nope' names no email template of this"
                + " project");

        JsonNode html = owner.post(path("/mail/test"), Map.of("to", "a@example.test", "subject", "s",
                "html", "{% if %}")).expect(400).json();
        assertThat(html.get("field").asString()).isEqualTo("html");
        assertThat(html.get("line").asInt()).isEqualTo(1);
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void aRenderedSubjectTooLongToSendIs400NamingTheSubjectAndQueuesNothing() {
        JsonNode problem = owner.post(path("/mail/test"), Map.of("to", "a@example.test", "subject", "{{ s }}",
                "html", "<p>x</p>", "context", Map.of("s", "x".repeat(2000)))).expect(400).json();

        assertThat(problem.get("field").asString()).isEqualTo("subject");
        assertThat(problem.get("detail").asString()).startsWith("The rendered mail cannot be sent: subject is longer");
        assertThat(owner.get(path("/mail")).expect(200).json().get("outbox")).isEmpty();
    }

    @Test
    void viewersMayNeitherPreviewNorSend() {
        AdminApi viewer = AdminApi.newAccount(port);
        owner.addMember(project, viewer, "viewer");

        viewer.post(path("/email-template-preview"), Map.of("subject", "s", "html", "x")).expect(403);
        viewer.post(path("/mail/test"), Map.of("to", "a@example.test", "subject", "s", "html", "x")).expect(403);
    }

    @Test
    void anotherProjectIsNotFoundAndItsTemplatesAreNotThisProjects() {
        AdminApi stranger = AdminApi.newAccount(port);
        String theirs = stranger.createProject();
        stranger.post(API + "/projects/" + theirs + "/email-templates", Map.of("id", "their-secret", "subject", "s",
                "html", "<p>theirs</p>")).expect(201);

        stranger.post(path("/email-template-preview"), Map.of("subject", "s", "html", "x")).expect(404);
        stranger.post(path("/mail/test"), Map.of("to", "a@example.test", "subject", "s", "html", "x")).expect(404);
        JsonNode problem = owner.post(path("/mail/test"), Map.of("to", "a@example.test", "template_id", "their-secret"))
                .expect(400).json();

        assertThat(problem.get("field").asString()).isEqualTo("template_id");
        assertThat(owner.get(path("/mail")).expect(200).json().get("outbox")).isEmpty();
        assertThat(smtp.received()).isEmpty();
    }

    private String outboxStatus(String id) {
        for (JsonNode entry : owner.get(path("/mail")).expect(200).json().get("outbox")) {
            if (entry.get("id").asString().equals(id)) {
                return entry.get("status").asString();
            }
        }
        return "missing";
    }
}
