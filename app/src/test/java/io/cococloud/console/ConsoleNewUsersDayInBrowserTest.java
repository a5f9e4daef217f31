package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.cococloud.support.AdminApi;
import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.IntegrationTest;
import jakarta.mail.internet.MimeMessage;
import tools.jackson.databind.JsonNode;

/**
 * A new user's first day in the console, in one real browser session and in order: each step starts where the
 * last one left the project, and asserts what the page shows and what the server now holds. The steps are the
 * issue's acceptance walk; each area's own classes test its pages in depth.
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleNewUsersDayInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.oneSessionForTheClass();
    private static Account user;
    private static String slug;
    private static String projectId;
    private static GreenMail smtp;
    private static int smtpPort;

    @LocalServerPort
    int port;

    @TempDir
    static Path temp;

    @BeforeAll
    static void startTheDay() throws IOException {
        browser.signOut();
        user = browser.newAccount();
        slug = "day-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (ServerSocket socket = new ServerSocket(0)) {
            smtpPort = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        smtp.start();
    }

    @AfterAll
    static void endTheDay() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    @Order(1)
    void signsInAndCreatesAProject() {
        browser.signIn(user);
        browser.awaitText(By.cssSelector("#project-list + .empty-state"), "No projects yet");

        browser.type(By.id("new-project-name"), "My first shop");
        browser.type(By.id("new-project-slug"), slug);
        browser.clickAndAwait(By.id("create-project-button"), "functions");

        assertThat(browser.text(By.cssSelector(".sidebar-project code"))).isEqualTo(slug);
        browser.awaitText(By.id("function-list"), "No functions yet");
        JsonNode project = api().get(API + "/projects/" + slug).expect(200).json();
        projectId = project.get("id").asString();
        assertThat(project.get("name").asString()).isEqualTo("My first shop");
    }

    @Test
    @Order(2)
    void writesAMainFunctionSeesItsSyntaxErrorAtItsLineFixesItAndDeploys() {
        browser.open(project(), "/functions/+new", "function-new");
        browser.type(By.id("function-name-input"), "hello");
        browser.find(By.cssSelector(".template-option[data-template='main'] input")).click();
        browser.clickAndAwait(By.id("create-function-button"), "function-code");
        browser.awaitText(By.id("function-version"), "v1");

        By editor = By.cssSelector("code-editor.file-editor[data-file='hello.py']");
        browser.setEditorText(editor, "def main():\n    name = request.get('name', 'World')\n"
                + "    return {'greeting': f'Hello, {name'}\n");
        browser.find(By.id("deploy-button")).click();

        browser.awaitText(By.cssSelector("code-editor[data-file='hello.py'] .cm-error-message[data-line='3']"),
                "line 3");
        assertThat(browser.text(By.id("deploy-error"))).contains("Not deployed").contains("line 3");
        assertThat(function("hello").get("deployed_version").asInt()).isEqualTo(1);

        browser.setEditorText(editor, "def main():\n    name = request.get('name', 'World')\n"
                + "    print('greeting', name)\n    return {'greeting': f'Hello, {name}!'}\n");
        browser.find(By.id("deploy-button")).click();

        browser.awaitText(By.id("deploy-notice"), "Deployed version 2");
        browser.awaitText(By.id("function-version"), "v2");
        assertThat(browser.findAll(By.cssSelector("code-editor .cm-error-line"))).isEmpty();
        assertThat(function("hello").get("deployed_version").asInt()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void testRunsTheFunctionAndOpensItsExecutionLog() {
        browser.type(By.id("test-body"), "{\"name\": \"Ada\"}");
        browser.find(By.id("run-test-button")).click();

        browser.awaitText(By.id("test-status"), "200");
        assertThat(browser.text(By.id("test-body-out"))).contains("Hello, Ada!");
        assertThat(browser.text(By.id("test-output"))).contains("greeting Ada");

        browser.clickAndAwait(By.id("test-execution-link"), "execution");
        assertThat(browser.text(By.cssSelector("#execution-status .badge"))).isEqualTo("success");
        assertThat(browser.text(By.id("execution-output"))).contains("greeting Ada");
        String id = browser.text(By.id("execution-id"));
        JsonNode recorded = api().get(API + "/projects/" + projectId + "/functions/hello/executions/" + id)
                .expect(200).json();
        assertThat(recorded.get("trigger").asString()).isEqualTo("test");
        assertThat(recorded.get("output").asString()).contains("greeting Ada");
    }

    @Test
    @Order(4)
    void deploysAHandleFunctionFromItsTemplate() {
        browser.open(project(), "/functions/+new", "function-new");
        browser.type(By.id("function-name-input"), "device");
        browser.find(By.cssSelector(".template-option[data-template='handle'] input")).click();
        browser.await().until(d -> browser.editorText(By.id("new-function-code")).contains("def handle(req):"));
        browser.clickAndAwait(By.id("create-function-button"), "function-code");

        browser.awaitText(By.id("function-style"), "handle");
        browser.find(By.id("run-test-button")).click();
        browser.awaitText(By.id("test-status"), "200");
        assertThat(function("device").get("deployed_style").asString()).isEqualTo("handle");

        browser.open(project(), "/functions", "functions");
        assertThat(browser.text(By.cssSelector("#function-list tr[data-name='device']"))).contains("handle");
        assertThat(browser.text(By.cssSelector("#function-list tr[data-name='hello']"))).contains("main");
    }

    @Test
    @Order(5)
    void uploadsASiteZipAndSeesItsRoutes() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("cloud-functions/api/hello.py", "def main():\n    return 'hi from the site'\n");
        files.put("cloud-functions/users/[id].py", "def handle(req):\n    return {'id': req.params['id']}\n");
        files.put("index.html", "<h1>My shop</h1>");
        Path zip = Files.write(temp.resolve("site.zip"), zip(files));
        browser.open(project(), "/sites", "sites");

        browser.find(By.id("site-zip")).sendKeys(zip.toAbsolutePath().toString());
        browser.find(By.id("site-upload-button")).click();

        browser.awaitText(By.id("site-notice"), "Version 1 is live.");
        List<String> patterns = browser.findAll(By.cssSelector("#route-table .route-pattern")).stream()
                .map(WebElement::getText).toList();
        assertThat(patterns).containsExactlyInAnyOrder("/api/hello", "/users/[id]");
        assertThat(api().get(API + "/projects/" + projectId + "/sites").expect(200).json().get("version").asInt())
                .isEqualTo(1);
    }

    @Test
    @Order(6)
    void createsACollectionWithAReadRuleAddsAndEditsADocumentAndFiltersTheList() {
        browser.open(project(), "/data", "collections");
        browser.type(By.id("create-name"), "posts");
        browser.type(By.id("create-read"), "member");
        browser.find(By.id("create-collection-button")).click();
        browser.await().until(d -> "member".equals(
                browser.text(By.cssSelector("#collection-list tr[data-id='posts'] [data-rule='read']"))));

        browser.open(project(), "/data/posts", "documents");
        for (String document : List.of("{\"id\": \"p1\", \"title\": \"Draft\", \"status\": \"draft\"}",
                "{\"id\": \"p2\", \"title\": \"Launch\", \"status\": \"published\"}")) {
            browser.find(By.id("new-document-button")).click();
            browser.setEditorText(By.id("document-editor"), document);
            browser.find(By.id("save-document-button")).click();
            browser.awaitText(By.id("document-saved"), document.substring(8, 10));
        }
        browser.find(By.cssSelector("#document-list tr[data-id='p1'] .edit-document-button")).click();
        browser.await().until(d -> browser.editorText(By.id("document-editor")).contains("\"Draft\""));
        browser.setEditorText(By.id("document-editor"), "{\"title\": \"Draft, edited\", \"status\": \"draft\"}");
        browser.find(By.id("save-document-button")).click();
        browser.awaitText(By.cssSelector("#document-list tr[data-id='p1']"), "Draft, edited");

        browser.type(By.id("document-filter"), "status=published");
        browser.find(By.id("document-search-button")).click();
        browser.await().until(d -> rowIds().equals(List.of("p2")));
        assertThat(browser.text(By.id("document-total"))).isEqualTo("1");
        JsonNode collection = api().get(API + "/projects/" + projectId + "/collections/posts").expect(200).json();
        assertThat(collection.at("/permissions/read/0").asString()).isEqualTo("member");
        assertThat(api().get(API + "/projects/" + projectId + "/collections/posts/documents/p1").expect(200).json()
                .at("/data/title").asString()).isEqualTo("Draft, edited");
    }

    @Test
    @Order(7)
    void createsAnAppUserAndDisablesIt() {
        browser.open(project(), "/users", "users");
        browser.type(By.id("new-user-email"), "ada@example.com");
        browser.type(By.id("new-user-password"), "analytical-engine");
        browser.find(By.id("create-user-button")).click();
        browser.awaitView("user");
        assertThat(browser.text(By.id("user-email"))).isEqualTo("ada@example.com");

        browser.find(By.id("toggle-disabled-button")).click();
        browser.confirm(null);

        browser.awaitText(By.id("user-status"), "disabled");
        String id = browser.text(By.id("user-id"));
        assertThat(api().get(API + "/projects/" + projectId + "/users/" + id).expect(200).json().get("disabled")
                .asBoolean()).isTrue();
    }

    @Test
    @Order(8)
    void editsATemplateAndSeesTheServersPreview() {
        browser.open(project(), "/templates", "templates");
        browser.type(By.id("new-template-name"), "welcome.html");
        browser.clickAndAwait(By.id("create-template-button"), "template");

        browser.type(By.id("template-context"), "{\"name\": \"Grace\"}");
        browser.setEditorText(By.id("template-editor"), "<h1>Welcome, {{ name }}</h1>\n");
        browser.await().until(d -> previewText().contains("Welcome, Grace"));
        browser.find(By.id("save-template-button")).click();
        browser.awaitText(By.id("template-saved"), "Saved version");
        assertThat(api().get(API + "/projects/" + projectId + "/templates/welcome.html").expect(200).json()
                .get("content").asString()).isEqualTo("<h1>Welcome, {{ name }}</h1>\n");
    }

    @Test
    @Order(9)
    void uploadsAStaticFile() throws IOException {
        Path notes = Files.writeString(temp.resolve("robots.txt"), "User-agent: *\n");
        browser.open(project(), "/files", "files");

        browser.find(By.id("upload-files")).sendKeys(notes.toAbsolutePath().toString());
        browser.find(By.id("upload-files-button")).click();

        browser.awaitText(By.id("upload-result"), "Stored 1 file");
        browser.find(By.cssSelector("#file-list tr[data-name='robots.txt']"));
        assertThat(api().get(API + "/projects/" + projectId + "/static").expect(200).body()).contains("robots.txt");
    }

    @Test
    @Order(10)
    void setsASecretWhoseValueIsNeverShownAgain() {
        String value = "sk_live_" + UUID.randomUUID();
        browser.open(project(), "/secrets", "secrets");
        browser.type(By.id("secret-name"), "STRIPE_KEY");
        browser.type(By.id("secret-value"), value);
        browser.find(By.id("set-secret-button")).click();

        browser.awaitText(By.id("secret-saved"), "Secret STRIPE_KEY set");
        assertThat(browser.find(By.id("secret-value")).getDomProperty("value")).isEmpty();
        assertThat(browser.driver().getPageSource()).doesNotContain(value);
        browser.open(project(), "/secrets", "secrets");
        assertThat(browser.text(By.cssSelector("#secret-list tr[data-name='STRIPE_KEY']"))).doesNotContain(value);
        assertThat(browser.driver().getPageSource()).doesNotContain(value);
    }

    @Test
    @Order(11)
    void configuresSmtpToALocalServerAndSendsATestMail() throws Exception {
        browser.open(project(), "/mail", "mail");
        browser.type(By.id("smtp-host"), "127.0.0.1");
        browser.type(By.id("smtp-port"), String.valueOf(smtpPort));
        new Select(browser.find(By.id("smtp-security"))).selectByValue("none");
        browser.type(By.id("smtp-from"), "My shop <shop@example.test>");
        browser.find(By.id("save-smtp-button")).click();
        browser.awaitText(By.id("smtp-state"), "127.0.0.1:" + smtpPort);

        browser.open(project(), "/email-templates", "email-templates");
        browser.type(By.id("new-email-template-id"), "welcome");
        browser.type(By.id("new-email-template-subject"), "Welcome, {{ name }}");
        browser.clickAndAwait(By.id("create-email-template-button"), "email-template");
        browser.type(By.id("email-context"), "{\"name\": \"Ada\"}");
        browser.awaitText(By.id("email-preview-subject"), "Welcome, Ada");
        String to = "ada-" + UUID.randomUUID() + "@example.test";
        browser.type(By.id("test-mail-to"), to);
        browser.find(By.id("send-test-mail-button")).click();
        browser.awaitText(By.id("test-mail-queued"), to);

        String row = "#outbox tr[data-id='" + browser.find(By.id("test-mail-queued")).getDomAttribute("data-id") + "']";
        browser.clickAndAwait(By.id("outbox-link"), "mail");
        browser.awaitText(By.cssSelector(row + " .badge"), "sent");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receivedBy(to).size() == 1);
        assertThat(receivedBy(to).get(0).getSubject()).isEqualTo("Welcome, Ada");
    }

    @Test
    @Order(12)
    void rollsTheFunctionBackToItsFirstVersion() {
        browser.open(project(), "/functions/hello/versions", "function-versions");
        assertThat(browser.text(By.id("function-version"))).isEqualTo("v2");

        browser.find(By.cssSelector("#version-list tr[data-id='1'] .version-select")).click();
        browser.find(By.cssSelector(".version-detail[data-version='1']"));
        browser.find(By.id("rollback-button")).click();
        browser.confirm(null);

        browser.awaitText(By.id("function-version"), "v1");
        assertThat(function("hello").get("deployed_version").asInt()).isEqualTo(1);
        JsonNode result = AdminApi.anonymous(port).get("/functions/" + function("hello").get("id").asString()
                + "/execute?name=Ada").expect(200).json().get("result");
        assertThat(result.has("message")).as("the template's own answer: " + result).isTrue();
        assertThat(result.has("greeting")).as("not version 2's").isFalse();
        browser.screenshot("function-versions-after-rollback");
    }

    // ---------------------------------------------------------------- helpers

    private static ConsoleBrowser.Project project() {
        return new ConsoleBrowser.Project(projectId, slug, "My first shop");
    }

    private static AdminApi api() {
        return user.api();
    }

    private static JsonNode function(String name) {
        return api().get(API + "/projects/" + projectId + "/functions/" + name).expect(200).json();
    }

    private static List<String> rowIds() {
        return browser.findAll(By.cssSelector("#document-list tbody tr")).stream()
                .map(row -> row.getDomAttribute("data-id")).toList();
    }

    private static String previewText() {
        browser.driver().switchTo().frame(browser.find(By.id("template-preview")));
        try {
            return browser.driver().findElement(By.tagName("body")).getText();
        } finally {
            browser.driver().switchTo().defaultContent();
        }
    }

    private static List<MimeMessage> receivedBy(String to) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().contains(to));
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }).toList();
    }

    private static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
