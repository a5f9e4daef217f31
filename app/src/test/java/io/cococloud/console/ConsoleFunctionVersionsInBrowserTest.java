package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.ConsoleBrowser.Project;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * A function's versions and settings in the console: two versions compared line by line, rolling back to the
 * earlier one, settings saved or refused with the server's message at the field, deleting with a typed name.
 */
@IntegrationTest
class ConsoleFunctionVersionsInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    @LocalServerPort
    int port;




    private static String functionPath(Project project, String name) {
        return API + "/projects/" + project.id() + "/functions/" + name;
    }

    /** greet, deployed as version 1 (hello) and then version 2 (goodbye). */
    private static String deployTwoVersions(Account owner, Project project) {
        String id = owner.api().post(API + "/projects/" + project.id() + "/functions", Map.of("name", "greet",
                "code", "def main():\n    greeting = 'hello'\n    return greeting\n")).expect(201).json().get("id")
                .asString();
        owner.api().patch(functionPath(project, "greet"),
                Map.of("code", "def main():\n    greeting = 'goodbye'\n    return greeting\n")).expect(200);
        return id;
    }

    private static String rowText(String selector) {
        return browser.findAll(By.cssSelector(selector)).stream().map(WebElement::getText)
                .reduce("", (a, b) -> a + "\n" + b);
    }

    @Test
    void twoVersionsShowTheChangedLineAsADiff() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deployTwoVersions(owner, project);
        browser.signIn(owner);

        browser.open(project, "/functions/greet/versions", "function-versions");

        assertThat(browser.findAll(By.cssSelector("#version-list tbody tr")).stream()
                .map(row -> row.getAttribute("data-id"))).containsExactly("2", "1"); // newest first
        assertThat(browser.find(By.cssSelector("#version-list tr[data-id='2'] .badge")).getText()).isEqualTo("deployed");
        assertThat(browser.find(By.cssSelector("#version-list tr[data-id='2'] .version-by")).getText())
                .isEqualTo(owner.email());
        // The deployed version 2 against version 1: one line removed, one added, the rest the same.
        browser.find(By.cssSelector(".version-detail[data-version='2']"));
        assertThat(browser.text(By.cssSelector("#diff-summary .file-changed"))).isEqualTo("changed greet.py");
        assertThat(rowText(".file-diff[data-path='greet.py'] tr.diff-removed")).contains("greeting = 'hello'")
                .doesNotContain("def main");
        assertThat(rowText(".file-diff[data-path='greet.py'] tr.diff-added")).contains("greeting = 'goodbye'")
                .doesNotContain("def main");
        assertThat(browser.findAll(By.cssSelector(".file-diff tr.diff-removed"))).hasSize(1);
        assertThat(browser.findAll(By.cssSelector(".file-diff tr.diff-added"))).hasSize(1);
        browser.screenshot("function-versions");
    }

    @Test
    void rollingBackMakesTheEarlierVersionDeployed() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        String id = deployTwoVersions(owner, project);
        browser.signIn(owner);
        browser.open(project, "/functions/greet/versions", "function-versions");
        assertThat(browser.text(By.id("function-version"))).isEqualTo("v2");

        browser.find(By.cssSelector("#version-list tr[data-id='1'] .version-select")).click();
        browser.find(By.cssSelector(".version-detail[data-version='1']"));
        browser.find(By.id("rollback-button")).click();
        browser.confirm(null);

        browser.awaitText(By.id("function-version"), "v1");
        browser.awaitText(By.id("rollback-done"), "Version 1 is deployed.");
        assertThat(browser.find(By.cssSelector("#version-list tr[data-id='1'] .badge")).getText()).isEqualTo("deployed");
        assertThat(browser.findAll(By.cssSelector("#version-list tr[data-id='2'] .badge"))).isEmpty();
        assertThat(owner.api().get(functionPath(project, "greet")).expect(200).json().get("deployed_version").asInt())
                .isEqualTo(1);
        assertThat(AdminApi.anonymous(port).get("/functions/" + id + "/execute").expect(200).json()
                .get("result").asString()).isEqualTo("hello");
    }

    @Test
    void aTimeoutOfZeroShowsTheServersMessageNextToTheTimeout() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deployTwoVersions(owner, project);
        int before = owner.api().get(functionPath(project, "greet")).expect(200).json().get("timeout_s").asInt();
        browser.signIn(owner);
        browser.open(project, "/functions/greet/settings", "function-settings");

        browser.type(By.id("timeout-s"), "0");
        browser.find(By.id("save-settings-button")).click();

        // The server's own words (bean validation of timeout_s), next to the field they are about.
        browser.awaitFieldError("timeout_s", "must be greater than or equal to 1");
        assertThat(browser.find(By.id("timeout-s")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(owner.api().get(functionPath(project, "greet")).expect(200).json().get("timeout_s").asInt())
                .isEqualTo(before);
    }

    @Test
    void aHandlerNamingAMissingFileShowsTheServersMessageNextToTheHandler() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deployTwoVersions(owner, project);
        browser.signIn(owner);
        browser.open(project, "/functions/greet/settings", "function-settings");

        browser.type(By.id("function-handler"), "other.main");
        browser.find(By.id("save-settings-button")).click();

        browser.awaitFieldError("handler", "names the file other.py, which is not among the function's files (greet.py)");
        assertThat(browser.findAll(By.cssSelector("[data-error-for='timeout_s']"))).isEmpty();
        JsonNode fn = owner.api().get(functionPath(project, "greet")).expect(200).json();
        assertThat(fn.get("handler").isNull()).isTrue();
        assertThat(fn.get("deployed_version").asInt()).isEqualTo(2);
    }

    @Test
    void validSettingsAreSaved() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deployTwoVersions(owner, project);
        browser.signIn(owner);
        browser.open(project, "/functions/greet/settings", "function-settings");

        browser.type(By.id("timeout-s"), "12");
        browser.type(By.id("async-retries"), "3");
        browser.find(By.id("require-auth")).click();
        browser.find(By.id("save-settings-button")).click();

        browser.awaitText(By.id("settings-saved"), "Saved.");
        JsonNode fn = owner.api().get(functionPath(project, "greet")).expect(200).json();
        assertThat(fn.get("timeout_s").asInt()).isEqualTo(12);
        assertThat(fn.get("async_retries").asInt()).isEqualTo(3);
        assertThat(fn.get("require_auth").asBoolean()).isTrue();
        assertThat(fn.get("deployed_version").asInt()).as("settings alone make no new version").isEqualTo(2);
        assertThat(browser.text(By.cssSelector(".function-head"))).contains("app users only");
    }

    @Test
    void deletingAFunctionAsksForItsName() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deployTwoVersions(owner, project);
        browser.signIn(owner);
        browser.open(project, "/functions/greet/settings", "function-settings");

        browser.find(By.id("delete-function-button")).click();
        WebElement ok = browser.find(By.cssSelector("dialog.confirm-dialog[open] #confirm-ok"));
        assertThat(ok.isEnabled()).isFalse();
        browser.confirm("greet");

        browser.awaitView("functions");
        owner.api().get(functionPath(project, "greet")).expect(404);
    }
}
