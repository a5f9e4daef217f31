package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.ConsoleBrowser.Project;
import io.cococloud.support.IntegrationTest;

/**
 * The content pages in a real browser: templates with the server's live preview, static files in folders with
 * image previews, secrets whose values never come back, and variables. Each test sets up through the admin API,
 * acts in the page, and checks what the page shows and what the server then holds.
 */
@IntegrationTest
class ConsoleContentInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    @TempDir
    static Path uploads;

    private Account owner;
    private Project project;



    @BeforeEach
    void signedInToAFreshProject() {
        owner = browser.newAccount();
        project = browser.newProject(owner);
        browser.signIn(owner);
    }

    private String projectPath(String suffix) {
        return API + "/projects/" + project.id() + suffix;
    }

    // ------------------------------------------------------------------ templates

    @Test
    void aTemplateCreatedInTheListOpensInItsEditorWithAPreview() {
        browser.open(project, "/templates", "templates");
        assertThat(browser.text(By.id("template-list"))).contains("No templates yet");

        browser.type(By.id("new-template-name"), "pages/welcome.html");
        browser.clickAndAwait(By.id("create-template-button"), "template");

        assertThat(browser.text(By.id("template-name"))).isEqualTo("pages/welcome.html");
        assertThat(previewText()).contains("Hello Ada!");
        browser.open(project, "/templates", "templates");
        assertThat(browser.find(By.cssSelector("#template-list tr[data-name='pages/welcome.html']")).getText())
                .contains("pages/welcome.html");
    }

    @Test
    void editingATemplateChangesTheServersPreviewAndSavingMakesANewVersion() {
        owner.api().post(projectPath("/templates"), Map.of("name", "emails/hello.html",
                "content", "<h1>Hello {{ name }}</h1>\n<p>{{ items | length }} items</p>\n")).expect(201);
        browser.open(project, "/templates/emails/hello.html", "template");
        browser.type(By.id("template-context"), "{\"name\": \"Grace\", \"items\": [1, 2, 3]}");
        awaitPreview("Hello Grace");
        assertThat(previewText()).contains("3 items");

        browser.setEditorText(By.id("template-editor"), "<h1>Goodbye {{ name }}</h1>\n");
        awaitPreview("Goodbye Grace");
        assertThat(browser.script("return document.getElementById('template-output').textContent"))
                .isEqualTo("<h1>Goodbye Grace</h1>"); // the rendered text too, inside its folded <details>
        browser.screenshot("templates-editor");
        browser.find(By.id("save-template-button")).click();

        browser.awaitText(By.id("template-saved"), "Saved version 2");
        JsonNode stored = owner.api().get(projectPath("/templates/emails/hello.html")).expect(200).json();
        assertThat(stored.get("version").asInt()).isEqualTo(2);
        assertThat(stored.get("content").asString()).isEqualTo("<h1>Goodbye {{ name }}</h1>\n");
        assertThat(browser.findAll(By.cssSelector("#template-versions tbody tr"))).hasSize(2);
    }

    @Test
    void aTemplateErrorShowsTheServersMessageAndMarksItsLine() {
        owner.api().post(projectPath("/templates"), Map.of("name", "broken.html", "content", "<p>ok</p>\n"))
                .expect(201);
        browser.open(project, "/templates/broken.html", "template");
        awaitPreview("ok");

        browser.setEditorText(By.id("template-editor"), "<p>\n{{ name }}\n{% if %}\n</p>\n");

        browser.awaitText(By.id("preview-error"), "line 3");
        assertThat(browser.text(By.cssSelector("#preview-error .problem-detail"))).startsWith("Template error: ");
        WebElement marked = browser.find(By.cssSelector("#template-editor .cm-error-message[data-line='3']"));
        assertThat(marked.getText()).isNotBlank();
        assertThat(browser.findAll(By.cssSelector("#template-editor .cm-error-line"))).hasSize(1);
    }

    @Test
    void anOlderVersionIsComparedWithTheEditorAndLoadedBack() {
        owner.api().post(projectPath("/templates"), Map.of("name", "v.html", "content", "first {{ name }}\n"))
                .expect(201);
        owner.api().put(projectPath("/templates/v.html"), Map.of("content", "second {{ name }}\n")).expect(200);
        browser.open(project, "/templates/v.html", "template");

        browser.find(By.cssSelector("#template-versions tr[data-id='1'] .view-version-button")).click();

        browser.awaitText(By.id("template-version-view"), "Version 1");
        assertThat(browser.text(By.cssSelector("#template-version-view .diff-removed"))).contains("first {{ name }}");
        assertThat(browser.text(By.cssSelector("#template-version-view .diff-added"))).contains("second {{ name }}");
        browser.find(By.id("load-version-button")).click();
        awaitPreview("first Ada");
        assertThat(browser.editorText(By.id("template-editor"))).isEqualTo("first {{ name }}\n");
    }

    /** The text the preview iframe shows, read inside the frame. */
    private String previewText() {
        WebElement frame = browser.find(By.id("template-preview"));
        browser.driver().switchTo().frame(frame);
        try {
            return browser.driver().findElement(By.tagName("body")).getText();
        } finally {
            browser.driver().switchTo().defaultContent();
        }
    }

    private void awaitPreview(String text) {
        browser.await().until(driver -> previewText().contains(text));
    }

    // ------------------------------------------------------------------ static files

    @Test
    void filesAndAnImageUploadedIntoAFolderAreBrowsedPreviewedAndDeleted() throws IOException {
        Path notes = Files.writeString(uploads.resolve("notes.txt"), "Remember the milk\n");
        Path logo = png(uploads.resolve("logo.png"));
        browser.open(project, "/files", "files");
        assertThat(browser.text(By.id("file-list"))).contains("No static files yet");

        browser.type(By.id("open-folder"), "assets");
        browser.find(By.cssSelector("#open-folder-form button[type='submit']")).click();
        browser.awaitText(By.cssSelector(".breadcrumbs"), "assets");
        browser.find(By.id("upload-files")).sendKeys(notes + "\n" + logo);
        browser.find(By.id("upload-files-button")).click();
        browser.awaitText(By.id("upload-result"), "Stored 2 files");
        assertThat(paths()).containsExactly("assets/logo.png", "assets/notes.txt");

        browser.open(project, "/files", "files");
        browser.find(By.cssSelector("#file-list tr[data-name='assets'] a.folder-link")).click();
        browser.awaitText(By.cssSelector(".breadcrumbs"), "assets"); // the same view, now inside the folder
        assertThat(browser.text(By.cssSelector(".breadcrumbs"))).contains("Static files");
        fileButton("logo.png").click();
        WebElement image = browser.find(By.id("preview-image"));
        assertThat(image.getAttribute("src")).startsWith("blob:");
        browser.await().until(driver -> ((Number) browser.script(
                "const i = arguments[0]; return i.complete ? i.naturalWidth : 0", image)).intValue() == 8);
        assertThat(browser.text(By.id("file-url"))).endsWith("/assets/logo.png");
        browser.screenshot("files");

        fileButton("notes.txt").click();
        browser.awaitText(By.id("preview-text"), "Remember the milk");

        browser.find(By.cssSelector("#file-list tr[data-name='notes.txt'] .delete-file-button")).click();
        browser.confirm(null);
        browser.await().until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("#file-list tr[data-name='notes.txt']"), 0));
        assertThat(browser.findAll(By.cssSelector("#file-list tr[data-name='logo.png']"))).hasSize(1);
        assertThat(paths()).containsExactly("assets/logo.png");
    }

    @Test
    void aZipIsUnpackedIntoTheFolderShown() throws IOException {
        Path zip = uploads.resolve("site.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : List.of("site/index.html", "site/css/app.css")) {
                out.putNextEntry(new java.util.zip.ZipEntry(name));
                out.write(("/* " + name + " */").getBytes());
                out.closeEntry();
            }
        }
        browser.open(project, "/files/web", "files");

        browser.find(By.id("upload-zip")).sendKeys(zip.toString());
        browser.find(By.id("upload-zip-button")).click();

        browser.awaitText(By.id("upload-result"), "Stored 2 files");
        assertThat(browser.text(By.id("upload-result"))).contains("site");
        assertThat(browser.findAll(By.cssSelector("#file-list tr[data-name='css'] a.folder-link"))).hasSize(1);
        assertThat(browser.findAll(By.cssSelector("#file-list tr[data-name='index.html']"))).hasSize(1);
        assertThat(paths()).containsExactly("web/css/app.css", "web/index.html");
    }

    private WebElement fileButton(String name) {
        return browser.find(By.cssSelector("#file-list tr[data-name='" + name + "'] button.file-link"));
    }

    private List<String> paths() {
        List<String> paths = new ArrayList<>();
        owner.api().get(projectPath("/static")).expect(200).json().forEach(f -> paths.add(f.get("path").asString()));
        return paths;
    }

    /** An 8×4 PNG that a browser really decodes. */
    private static Path png(Path file) {
        BufferedImage image = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 4; y++) {
                image.setRGB(x, y, (x < 4 ? Color.ORANGE : Color.CYAN).getRGB());
            }
        }
        try {
            ImageIO.write(image, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ secrets and variables

    @Test
    void aSecretsValueIsNeverShownAgainInThePageOrItsSource() {
        String value = "sk_live_" + java.util.UUID.randomUUID();
        browser.open(project, "/secrets", "secrets");
        assertThat(browser.text(By.id("secret-list"))).contains("No secrets yet");

        browser.type(By.id("secret-name"), "STRIPE_KEY");
        browser.type(By.id("secret-value"), value);
        browser.find(By.id("set-secret-button")).click();

        browser.awaitText(By.id("secret-saved"), "Secret STRIPE_KEY set");
        assertThat(browser.text(By.cssSelector("#secret-list tr[data-name='STRIPE_KEY']"))).contains("hidden");
        assertThat(browser.find(By.id("secret-value")).getAttribute("value")).isEmpty();
        assertThat((String) browser.script("return document.documentElement.outerHTML")).doesNotContain(value);
        assertThat(browser.driver().getPageSource()).doesNotContain(value);
        browser.screenshot("secrets");

        browser.open(project, "/secrets", "secrets");
        assertThat(browser.driver().getPageSource()).doesNotContain(value).contains("STRIPE_KEY");
        JsonNode secrets = owner.api().get(projectPath("/secrets")).expect(200).json();
        assertThat(secrets).hasSize(1);
        assertThat(secrets.get(0).get("name").asString()).isEqualTo("STRIPE_KEY");
    }

    @Test
    void aSecretIsReplacedAndDeleted() {
        owner.api().put(projectPath("/secrets/API_TOKEN"), Map.of("value", "old-value")).expect(201);
        browser.open(project, "/secrets", "secrets");

        browser.find(By.cssSelector("#secret-list tr[data-name='API_TOKEN'] .replace-secret-button")).click();
        assertThat(browser.find(By.id("secret-name")).getAttribute("value")).isEqualTo("API_TOKEN");
        browser.find(By.id("secret-value")).sendKeys("new-value");
        browser.find(By.id("set-secret-button")).click();
        browser.awaitText(By.id("secret-saved"), "Secret API_TOKEN replaced");

        browser.find(By.cssSelector("#secret-list tr[data-name='API_TOKEN'] .delete-secret-button")).click();
        browser.confirm(null);
        browser.awaitText(By.id("secret-list"), "No secrets yet");
        assertThat(owner.api().get(projectPath("/secrets")).expect(200).json()).isEmpty();
    }

    @Test
    void aBadSecretNameShowsTheServersMessageAtTheNameField() {
        browser.open(project, "/secrets", "secrets");

        browser.type(By.id("secret-name"), "not a name");
        browser.type(By.id("secret-value"), "whatever-it-is");
        browser.find(By.id("set-secret-button")).click();

        browser.awaitFieldError("name", "like API_KEY or smtp_password");
        assertThat(browser.find(By.id("secret-value")).getAttribute("value")).isEmpty();
        assertThat(owner.api().get(projectPath("/secrets")).expect(200).json()).isEmpty();
    }

    @Test
    void aVariableIsSetThenEditedInPlace() {
        browser.open(project, "/secrets", "secrets");

        browser.type(By.id("variable-name"), "GREETING");
        browser.type(By.id("variable-value"), "Hello");
        browser.find(By.id("set-variable-button")).click();
        browser.awaitText(By.cssSelector("#variable-list tr[data-name='GREETING'] .variable-value"), "Hello");

        browser.find(By.cssSelector("#variable-list tr[data-name='GREETING'] .edit-variable-button")).click();
        assertThat(browser.find(By.id("variable-value")).getAttribute("value")).isEqualTo("Hello");
        browser.type(By.id("variable-value"), "Bonjour");
        browser.find(By.id("set-variable-button")).click();

        browser.awaitText(By.cssSelector("#variable-list tr[data-name='GREETING'] .variable-value"), "Bonjour");
        assertThat(browser.text(By.id("variable-saved"))).contains("GREETING");
        JsonNode variables = owner.api().get(projectPath("/variables")).expect(200).json();
        assertThat(variables).hasSize(1);
        assertThat(variables.get(0).get("value").asString()).isEqualTo("Bonjour");
    }

    // ------------------------------------------------------------------ tablet width

    @Test
    void everyContentPageFitsATabletWidthWithoutScrollingSideways() {
        owner.api().post(projectPath("/templates"), Map.of("name", "page.html", "content", "<p>{{ name }}</p>"))
                .expect(201);
        owner.api().post(projectPath("/email-templates"), Map.of("id", "welcome", "subject", "Hi {{ name }}",
                "html", "<p>Hello {{ name }}</p>")).expect(201);
        owner.api().put(projectPath("/variables/GREETING"), Map.of("value", "Hello")).expect(201);
        Map<String, String> pages = Map.of("/templates", "templates", "/templates/page.html", "template",
                "/files", "files", "/secrets", "secrets", "/email-templates", "email-templates",
                "/email-templates/welcome", "email-template", "/mail", "mail");

        browser.atWidth(768, () -> pages.forEach((route, view) -> {
            browser.open(project, route, view);
            Number overflow = (Number) browser.script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(overflow.intValue()).as(route).isLessThanOrEqualTo(0);
            assertThat(browser.find(By.cssSelector("main h1")).isDisplayed()).as(route).isTrue();
        }));
    }
}
