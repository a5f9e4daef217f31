package io.cococloud.mail;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.ReferenceFunctions;

/** request.send_mail from Python functions, delivered by the server's own sender to a real SMTP server. */
@IntegrationTest
class SendMailTest {

    static TestSmtp smtp;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Functions functions;

    @BeforeAll
    static void smtpServer() {
        smtp = TestSmtp.start();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @BeforeEach
    void aProjectWhoseMailGoesToTheTestServer() {
        functions = Functions.inNewProject(port);
        smtp.useFor(functions.owner(), functions.projectId());
    }

    private static String address() {
        return "to-" + UUID.randomUUID() + "@example.test";
    }

    private JsonNode error(String body) {
        String id = functions.deploy("def main():\n" + body.indent(4));
        return functions.get(id, "").expect(500).json();
    }

    @Test
    void theFormHandlerExampleStoresTheSubmissionAndMailsIt() throws Exception {
        // Example 3 of the function environment reference, unchanged but for the recipient
        String admin = address();
        String id = functions.deploy(ReferenceFunctions.FORM_HANDLER.replace("admin@example.com", admin));

        AdminApi.Response thanks = functions.call("POST", "/functions/" + id + "/execute",
                "name=John+Doe&email=john%40example.com&message=Hello+there",
                Map.of("Content-Type", "application/x-www-form-urlencoded")).expect(200);
        assertThat(thanks.body()).contains("<h1>Thank You!</h1>");

        MimeMessage mail = smtp.await(admin, 1).getFirst();
        assertThat(mail.getSubject()).isEqualTo("New contact form submission from John Doe");
        assertThat(mail.getContentType()).startsWith("text/html");
        assertThat(TestSmtp.content(mail, "text/html")).contains("<h2>New Contact Form Submission</h2>",
                "<p><strong>Name:</strong> John Doe</p>", "<p><strong>Email:</strong> john@example.com</p>",
                "<p>Hello there</p>");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM documents WHERE project_id = ?::uuid"
                + " AND collection = 'contact_submissions'", Long.class, functions.projectId())).isEqualTo(1);
        // The sender marks a mail sent right after the SMTP server accepted it, and never picks a sent mail
        // again: once it is marked, the count of copies is final.
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("SELECT bool_and(status = 'sent')"
                + " FROM mail_outbox WHERE project_id = ?::uuid", Boolean.class, functions.projectId()));
        assertThat(smtp.receivedBy(admin)).hasSize(1);
    }

    @Test
    void sendMailReturnsTheOutboxIdAndQueuedStatus() {
        JsonNode result = functions.runMain("return request.send_mail('" + address() + "', 'Hi', body='Hello')");
        assertThat(result.get("status").asString()).isEqualTo("queued");
        String id = result.get("id").asString();
        assertThat(jdbc.queryForObject("SELECT subject FROM mail_outbox WHERE project_id = ?::uuid AND id = ?::uuid",
                String.class, functions.projectId(), id)).isEqualTo("Hi");
    }

    @Test
    void aPlainTextBodyIsSentAsTextAndAListOfRecipientsWithCcBccAndReplyTo() throws Exception {
        String a = address();
        String b = address();
        String cc = address();
        String bcc = address();
        functions.runMain("return request.send_mail(['" + a + "', '" + b + "'], 'Plain', body='Just text & more',"
                + " cc='" + cc + "', bcc=['" + bcc + "'], reply_to='Replies <replies@example.test>')");

        MimeMessage mail = smtp.await(a, 1).getFirst();
        assertThat(mail.getContentType()).startsWith("text/plain");
        assertThat(TestSmtp.content(mail, "text/plain")).isEqualTo("Just text & more");
        assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Object::toString).containsExactly(a, b);
        assertThat(mail.getRecipients(Message.RecipientType.CC)).extracting(Object::toString).containsExactly(cc);
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getReplyTo()[0].toString()).isEqualTo("Replies <replies@example.test>");
        smtp.await(b, 1);
        smtp.await(cc, 1);
        // the blind copy reaches its mailbox without naming the address in the message
        org.awaitility.Awaitility.await().until(() -> smtp.received().size() >= 4);
    }

    @Test
    void aTemplateRendersSubjectHtmlAndTextWithTheContext() throws Exception {
        functions.owner().post(API + "/projects/" + functions.projectId() + "/email-templates", Map.of(
                "id", "welcome-template", "subject", "Welcome, {{ username }} & co",
                "html", "<p>Hi {{ username }}, <a href=\"{{ activation_link }}\">activate</a></p>",
                "text", "Hi {{ username }}: {{ activation_link }}")).expect(201);
        String to = address();
        // the reference's call: an explicit subject, and the template's wins
        functions.runMain("""
                return request.send_mail(
                    to="TO",
                    subject="Welcome!",
                    template_id="welcome-template",
                    context={
                        "username": "<John>",
                        "activation_link": "https://app.example/activate?k=1&n=2"
                    }
                )""".replace("TO", to));

        MimeMessage mail = smtp.await(to, 1).getFirst();
        assertThat(mail.getSubject()).isEqualTo("Welcome, <John> & co");
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        assertThat(TestSmtp.content(mail, "text/html")).isEqualTo(
                "<p>Hi &lt;John&gt;, <a href=\"https://app.example/activate?k=1&amp;n=2\">activate</a></p>");
        assertThat(TestSmtp.content(mail, "text/plain")).isEqualTo("Hi <John>: https://app.example/activate?k=1&n=2");
    }

    @Test
    void aMissingTemplateIsAValueErrorNamingIt() {
        JsonNode answer = error("request.send_mail('" + address() + "', 'x', template_id='nope')");
        assertThat(answer.get("error").asString()).startsWith("ValueError:").contains("'nope'", "does not exist");
    }

    /** Runs each call in one function and gives the ValueError message of each (null when none). */
    private JsonNode valueErrors(String... calls) {
        StringBuilder code = new StringBuilder("out = []\n");
        for (String call : calls) {
            code.append("try:\n    ").append(call).append("\n    out.append(None)\n")
                    .append("except ValueError as e:\n    out.append(str(e))\n");
        }
        code.append("return out\n");
        return functions.runMain(code.toString());
    }

    @Test
    void anInvalidAddressIsAValueErrorNamingIt() {
        JsonNode errors = valueErrors(
                "request.send_mail('not an address', 'x', body='y')",
                "request.send_mail(['ok@example.test', 'a@@b'], 'x', body='y')",
                "request.send_mail('ok@example.test', 'x', body='y', cc='nobody')",
                "request.send_mail('ok@example.test\\r\\nBcc: evil@example.test', 'x', body='y')",
                "request.send_mail('ok@example.test', 'x', body='y', reply_to='no reply')");
        assertThat(errors.get(0).asString()).contains("to", "'not an address'", "not a valid email address");
        assertThat(errors.get(1).asString()).startsWith("to[1]");
        assertThat(errors.get(2).asString()).startsWith("cc");
        assertThat(errors.get(3).asString()).contains("control characters");
        assertThat(errors.get(4).asString()).startsWith("reply_to");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM mail_outbox WHERE project_id = ?::uuid", Long.class,
                functions.projectId())).isZero();
    }

    @Test
    void aValueErrorCanBeCaughtByTheFunction() {
        JsonNode result = functions.runMain("""
                try:
                    request.send_mail('bad', 'x', body='y')
                except ValueError as e:
                    return "caught"
                """);
        assertThat(result.asString()).isEqualTo("caught");
    }

    @Test
    void sizeCapsAndMissingArgumentsAreValueErrors() {
        JsonNode errors = valueErrors(
                "request.send_mail(['r%d@example.test' % i for i in range(51)], 'x', body='y')",
                "request.send_mail('a@example.test', 'x' * 999, body='y')",
                "request.send_mail('a@example.test', 'x', body='y' * (1024 * 1024 + 1))",
                "request.send_mail('a@example.test', 'x')",
                "request.send_mail(42, 'x', body='y')",
                "request.send_mail([], 'x', body='y')",
                "request.send_mail('a@example.test', 'x', body='y', context={'a': 1})");
        assertThat(errors.get(0).asString()).contains("at most 50 recipients");
        assertThat(errors.get(1).asString()).contains("subject is longer than 998");
        assertThat(errors.get(2).asString()).contains("larger than 1 MB");
        assertThat(errors.get(3).asString()).contains("body or template_id is required");
        assertThat(errors.get(4).asString()).contains("to must be a string or a list");
        assertThat(errors.get(5).asString()).contains("to is required");
        assertThat(errors.get(6).asString()).contains("context is only used with template_id");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM mail_outbox WHERE project_id = ?::uuid", Long.class,
                functions.projectId())).isZero();
    }

    @Test
    void aFunctionCannotUseAnotherProjectsTemplate() {
        Functions other = Functions.inNewProject(port);
        other.owner().post(API + "/projects/" + other.projectId() + "/email-templates", Map.of("id", "theirs",
                "subject", "S", "html", "<p>H</p>")).expect(201);
        assertThat(error("request.send_mail('a@example.test', 'x', template_id='theirs')").get("error").asString())
                .contains("'theirs'", "does not exist");
    }

    @Test
    void theOutboxListsTheMailWithItsDeliveryState() {
        String to = address();
        functions.runMain("return request.send_mail('" + to + "', 'Logged', body='<p>x</p>')");
        smtp.await(to, 1);
        org.awaitility.Awaitility.await().until(() -> "sent".equals(functions.owner()
                .get(API + "/projects/" + functions.projectId() + "/mail").expect(200).json().get("outbox").get(0)
                .get("status").asString()));
        JsonNode entry = functions.owner().get(API + "/projects/" + functions.projectId() + "/mail?status=sent")
                .expect(200).json().get("outbox").get(0);
        assertThat(entry.get("to").get(0).asString()).isEqualTo(to);
        assertThat(entry.get("subject").asString()).isEqualTo("Logged");
        assertThat(entry.get("attempts").asInt()).isEqualTo(1);
        assertThat(entry.get("sent_at").isNull()).isFalse();
        assertThat(List.of("id", "created_at", "last_error")).allMatch(entry::has);
    }
}
