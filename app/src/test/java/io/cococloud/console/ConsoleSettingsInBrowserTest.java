package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.ConsoleBrowser.Project;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** A project's settings page in a real browser: origins, limits, roles, deleting; signing in with a token. */
@IntegrationTest
class ConsoleSettingsInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    @LocalServerPort
    int port;




    @Test
    void aPersonalAccessTokenSignsInWithoutASessionAndCanWrite() {
        Account account = browser.newAccount();
        browser.signInWithToken(account.api().bearerToken());
        browser.awaitText(By.id("account-email"), account.email());

        browser.type(By.id("new-project-name"), "Made with a token");
        browser.type(By.id("new-project-slug"), "tok-" + Long.toHexString(System.nanoTime()));
        browser.clickAndAwait(By.id("create-project-button"), "functions");

        JsonNode projects = account.api().get(API + "/projects").expect(200).json();
        assertThat(projects.size()).isEqualTo(1);
        assertThat(projects.get(0).get("name").asString()).isEqualTo("Made with a token");
        assertThat(browser.driver().manage().getCookies()).extracting(Cookie::getName)
                .as("a token sign-in leaves no session behind").noneMatch(name -> name.contains("SESSION"));
    }

    @Test
    void aBadOriginShowsTheServersMessageNextToTheOriginsField() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        browser.signIn(owner);
        browser.open(project, "/settings", "settings");

        browser.type(By.id("cors-origins"), "https://app.example.com\nnot an origin");
        browser.find(By.id("save-cors-button")).click();

        String message = browser.awaitFieldError("allowed_origins", "is not an origin");
        assertThat(message).contains("'not'");
        JsonNode cors = owner.api().get(API + "/projects/" + project.id() + "/cors").expect(200).json();
        assertThat(cors.get("allowed_origins").toString()).as("nothing saved").isEqualTo("[\"*\"]");
    }

    @Test
    void savedOriginsAreWhatTheServerHolds() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        browser.signIn(owner);
        browser.open(project, "/settings", "settings");

        browser.type(By.id("cors-origins"), "https://app.example.com\nhttps://admin.example.com");
        browser.find(By.id("save-cors-button")).click();

        browser.awaitText(By.id("cors-form"), "Saved.");
        JsonNode cors = owner.api().get(API + "/projects/" + project.id() + "/cors").expect(200).json();
        assertThat(cors.get("allowed_origins").toString())
                .isEqualTo("[\"https://app.example.com\",\"https://admin.example.com\"]");
    }

    @Test
    void limitsAreForInstanceAdministratorsOnly() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        browser.signIn(owner);
        browser.open(project, "/settings", "settings");

        assertThat(browser.find(By.id("concurrent-calls")).isEnabled()).isFalse();
        assertThat(browser.findAll(By.id("save-limits-button"))).isEmpty();
        browser.awaitText(By.cssSelector("section[aria-labelledby='limits-title']"),
                "Only an instance administrator may change them.");
    }

    @Test
    void anInstanceAdministratorSavesLimitsAndSeesThemAgain() {
        Account owner = new Account(AdminApi.ROOT_EMAIL, AdminApi.ROOT_PASSWORD, AdminApi.root(port));
        Project project = browser.newProject(owner);
        browser.signIn(owner);
        browser.open(project, "/settings", "settings");

        browser.type(By.id("concurrent-calls"), "2");
        browser.find(By.id("save-limits-button")).click();
        browser.awaitText(By.id("limits-form"), "Saved.");

        JsonNode limits = owner.api().get(API + "/projects/" + project.id() + "/limits").expect(200).json();
        assertThat(limits.get("concurrent_calls").asInt()).isEqualTo(2);
        browser.open(project, "/settings", "settings");
        assertThat(browser.find(By.id("concurrent-calls")).getDomProperty("value")).isEqualTo("2");
    }

    @Test
    void anOwnerChangesAMembersRole() {
        Account owner = browser.newAccount();
        Account member = browser.newAccount();
        Project project = browser.newProject(owner);
        owner.api().addMember(project.id(), member.api(), "viewer");
        browser.signIn(owner);
        browser.open(project, "/settings", "settings");

        new Select(browser.find(By.cssSelector("select[aria-label='Role of " + member.email() + "']")))
                .selectByValue("developer");

        browser.await().until(d -> "developer".equals(member.api().get(API + "/projects/" + project.id())
                .expect(200).json().get("role").asString()));
    }

    @Test
    void deletingAProjectAsksForItsSlugTyped() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        browser.signIn(owner);
        browser.open(project, "/settings", "settings");
        browser.screenshot("settings");

        browser.find(By.id("delete-project-button")).click();
        assertThat(browser.find(By.id("confirm-ok")).isEnabled()).as("disabled until the slug is typed").isFalse();
        browser.find(By.id("confirm-input")).sendKeys(project.slug().substring(1));
        assertThat(browser.find(By.id("confirm-ok")).isEnabled()).isFalse();
        browser.find(By.id("confirm-input")).clear();
        browser.confirm(project.slug());

        browser.awaitView("projects");
        assertThat(owner.api().get(API + "/projects/" + project.id()).status()).isEqualTo(404);
        assertThat(browser.findAll(By.cssSelector("#project-list li[data-project-slug='" + project.slug() + "']")))
                .isEmpty();
    }

    @Test
    void theNavigationBecomesARowAboveThePageAtTabletWidth() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        browser.signIn(owner);
        browser.atWidth(768, () -> {
            browser.open(project, "/settings", "settings");
            var sidebar = browser.find(By.cssSelector("nav.sidebar"));
            var content = browser.find(By.id("content"));
            assertThat(sidebar.getRect().getY() + sidebar.getRect().getHeight())
                    .as("the navigation sits above the page").isLessThanOrEqualTo(content.getRect().getY());
            assertThat(content.getRect().getWidth()).as("the page uses the width").isGreaterThan(700);
            browser.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a[data-nav='data']")));
            browser.screenshot("settings-tablet");
        });
    }
}
