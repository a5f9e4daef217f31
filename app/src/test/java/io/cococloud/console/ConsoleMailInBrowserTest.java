package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.ConsoleBrowser.Project;
import io.cococloud.support.IntegrationTest;

/**
 * Email templates and mail in a real browser, against a real SMTP server (GreenMail on loopback, which the test
 * configuration allows projects to name): the SMTP settings set in the page, an email template's preview, a test
 * mail sent from it, followed in the outbox until it is sent, and received with its rendered subject.
 */
@IntegrationTest
class ConsoleMailInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    private Account owner;
    private Project project;
    private GreenMail smtp;
    private int smtpPort;



    @BeforeEach
    void signedInToAFreshProjectWithAnSmtpServerRunning() {
        smtpPort = freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        smtp.start();
        owner = browser.newAccount();
        project = browser.newProject(owner);
        browser.signIn(owner);
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    private String projectPath(String suffix) {
        return API + "/projects/" + project.id() + suffix;
    }

    @Test
    void smtpSettingsAreSavedFromThePageAndTheServerDefaultComesBack() {
        browser.open(project, "/mail", "mail");
        assertThat(browser.text(By.id("smtp-state"))).contains("server's default");
        assertThat(browser.text(By.id("outbox"))).contains("No mail yet");

        fillSmtpForm();
        browser.find(By.id("save-smtp-button")).click();

        browser.awaitText(By.id("smtp-state"), "127.0.0.1:" + smtpPort);
        assertThat(browser.text(By.id("smtp-saved"))).contains("Saved");
        JsonNode settings = owner.api().get(projectPath("/mail")).expect(200).json().get("settings");
        assertThat(settings.get("host").asString()).isEqualTo("127.0.0.1");
        assertThat(settings.get("port").asInt()).isEqualTo(smtpPort);
        assertThat(settings.get("security").asString()).isEqualTo("none");
        assertThat(settings.get("from_address").asString()).isEqualTo("Console Test <app@example.test>");

        browser.find(By.id("server-default-button")).click();
        browser.confirm(null);
        browser.awaitText(By.id("smtp-state"), "server's default");
        assertThat(owner.api().get(projectPath("/mail")).expect(200).json().get("uses_server_default").asBoolean())
                .isTrue();
    }

    @Test
    void aBadSmtpSettingShowsTheServersMessage() {
        browser.open(project, "/mail", "mail");
        fillSmtpForm();
        browser.type(By.id("smtp-from"), "not an address");

        browser.find(By.id("save-smtp-button")).click();

        assertThat(browser.awaitFieldError("from_address", "")).isNotBlank();
        assertThat(owner.api().get(projectPath("/mail")).expect(200).json().get("settings").isNull()).isTrue();
    }

    @Test
    void aTestMailFromAnEmailTemplateIsPreviewedSentAndSeenInTheOutboxAsSent() throws MessagingException {
        String to = "reader-" + UUID.randomUUID() + "@example.test";
        browser.open(project, "/mail", "mail");
        fillSmtpForm();
        browser.find(By.id("save-smtp-button")).click();
        browser.awaitText(By.id("smtp-state"), "127.0.0.1:" + smtpPort);

        browser.open(project, "/email-templates", "email-templates");
        browser.type(By.id("new-email-template-id"), "welcome");
        browser.type(By.id("new-email-template-subject"), "Welcome, {{ name }}");
        browser.clickAndAwait(By.id("create-email-template-button"), "email-template");
        browser.type(By.id("email-context"), "{\"name\": \"Grace\"}");
        browser.awaitText(By.id("email-preview-subject"), "Welcome, Grace");
        awaitEmailPreview("Hello Grace");
        browser.screenshot("email-template");

        browser.type(By.id("test-mail-to"), to);
        browser.find(By.id("send-test-mail-button")).click();

        browser.awaitText(By.id("test-mail-queued"), to);
        assertThat(browser.text(By.id("test-mail-queued"))).contains("Welcome, Grace");
        String row = "#outbox tr[data-id='" + browser.find(By.id("test-mail-queued")).getAttribute("data-id") + "']";
        browser.clickAndAwait(By.id("outbox-link"), "mail");
        browser.awaitText(By.cssSelector(row + " .badge"), "sent"); // the page refreshes itself while it is queued
        assertThat(browser.text(By.cssSelector(row))).contains(to).contains("Welcome, Grace");
        browser.screenshot("mail");

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receivedBy(to).size() == 1);
        MimeMessage mail = receivedBy(to).get(0);
        assertThat(mail.getSubject()).isEqualTo("Welcome, Grace");
    }

    @Test
    void anEmailTemplateErrorIsShownForItsPartAtItsLine() {
        owner.api().post(projectPath("/email-templates"), Map.of("id", "broken", "subject", "Hi",
                "html", "<p>Hello</p>\n")).expect(201);
        browser.open(project, "/email-templates/broken", "email-template");
        awaitEmailPreview("Hello");

        browser.setEditorText(By.id("email-html-editor"), "<p>one</p>\n{% if %}\n");

        browser.awaitText(By.id("email-preview-error"), "line 2");
        assertThat(browser.find(By.id("email-preview-error")).getAttribute("data-part")).isEqualTo("html");
        assertThat(browser.findAll(By.cssSelector("#email-html-editor .cm-error-message[data-line='2']"))).hasSize(1);
    }

    @Test
    void aTestMailToABadAddressShowsTheMessageAtTheToField() {
        owner.api().post(projectPath("/email-templates"), Map.of("id", "hello", "subject", "Hi",
                "html", "<p>Hello</p>")).expect(201);
        browser.open(project, "/email-templates/hello", "email-template");
        // the browser's own check lets this through; the server's does not
        browser.script("document.getElementById('test-mail-to').type = 'text'");
        browser.type(By.id("test-mail-to"), "not-an-address");

        browser.find(By.id("send-test-mail-button")).click();

        assertThat(browser.awaitFieldError("to", "")).isNotBlank();
        assertThat(owner.api().get(projectPath("/mail")).expect(200).json().get("outbox")).isEmpty();
    }

    private void fillSmtpForm() {
        browser.type(By.id("smtp-host"), "127.0.0.1");
        browser.type(By.id("smtp-port"), String.valueOf(smtpPort));
        new Select(browser.find(By.id("smtp-security"))).selectByValue("none");
        browser.type(By.id("smtp-from"), "Console Test <app@example.test>");
    }

    /** The text the email preview's iframe shows, read inside the frame. */
    private String emailPreviewText() {
        browser.driver().switchTo().frame(browser.find(By.id("email-preview")));
        try {
            return browser.driver().findElement(By.tagName("body")).getText();
        } finally {
            browser.driver().switchTo().defaultContent();
        }
    }

    private void awaitEmailPreview(String text) {
        browser.await().until(driver -> emailPreviewText().contains(text));
    }

    private List<MimeMessage> receivedBy(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getRecipients(Message.RecipientType.TO) != null && Arrays.stream(
                        m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(address));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
