package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * The console in a real browser (Debian's headless Chromium through chromedriver) against the
 * whole server: login, the session cookie and CSRF token as the console's own scripts send them.
 * One browser for the class; each test starts signed out, with no cookies.
 */
@IntegrationTest
class ConsoleInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser console = ConsoleBrowser.signedOutBeforeEachTest();

    @LocalServerPort
    int port;

    private WebDriver driver;
    private WebDriverWait wait;

    /** Every test starts on the console's login form with no session cookie. */
    @BeforeEach
    void signedOut() {
        driver = console.driver();
        wait = console.await();
    }

    @Test
    void wrongPasswordShowsTheServersMessage() {
        Account account = newAccount();

        signIn(account.email(), account.password() + "-wrong");

        wait.until(ExpectedConditions.textToBe(By.id("login-error"), "Wrong email or password"));
        assertThat(driver.findElement(By.id("login-view")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("shell")).isDisplayed()).isFalse();
    }

    @Test
    void signingInShowsTheAccountAndItsProjects() {
        Account account = newAccount();
        String slug = newSlug();
        account.api().post(API + "/projects", Map.of("name", "Browser project " + slug, "slug", slug)).expect(201);

        signIn(account.email(), account.password());
        awaitView("projects");

        wait.until(ExpectedConditions.textToBe(By.id("account-email"), account.email()));
        assertThat(projectSlugsInList()).containsExactly(slug);
        assertThat(driver.findElement(By.id("login-view")).isDisplayed()).isFalse();
    }

    @Test
    void creatingAProjectInTheConsoleGoesThroughCsrfProtectedApi() {
        Account account = newAccount();
        signInAndWaitForShell(account);
        assertThat(projectSlugsInList()).isEmpty();
        String slug = newSlug();

        driver.findElement(By.id("new-project-name")).sendKeys("Made in the browser " + slug);
        driver.findElement(By.id("new-project-slug")).sendKeys(slug);
        driver.findElement(By.id("create-project-button")).click();

        awaitView("functions");
        assertThat(driver.getCurrentUrl()).endsWith("#/p/" + slug + "/functions");
        wait.until(ExpectedConditions.textToBe(By.cssSelector(".sidebar-project code"), slug));
        JsonNode projects = account.api().get(API + "/projects").expect(200).json();
        List<String> slugs = new ArrayList<>();
        projects.forEach(project -> slugs.add(project.get("slug").asString()));
        assertThat(slugs).containsExactly(slug);
        assertThat(projects.get(0).get("name").asString()).isEqualTo("Made in the browser " + slug);
        assertThat(projects.get(0).get("role").asString()).isEqualTo("owner");
    }

    @Test
    void creatingAClientKeyShowsItOnce() {
        Account account = newAccount();
        String other = newSlug();
        String slug = newSlug();
        account.api().post(API + "/projects", Map.of("name", "Other " + other, "slug", other)).expect(201);
        account.api().post(API + "/projects", Map.of("name", "Keys " + slug, "slug", slug)).expect(201);
        signInAndWaitForShell(account);

        openSettings(slug);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#key-list .empty-state"),
                "No API keys yet."));
        assertThat(driver.findElements(By.id("new-key"))).isEmpty();
        driver.findElement(By.id("create-client-key-button")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-key-value")));
        wait.until(d -> !d.findElement(By.id("new-key-value")).getText().isEmpty());
        String shown = driver.findElement(By.id("new-key-value")).getText();
        assertThat(shown).startsWith("coco_ck_");
        JsonNode keys = account.api().get(API + "/projects/" + slug + "/keys").expect(200).json();
        assertThat(keys.size()).isEqualTo(1);
        JsonNode key = keys.get(0);
        assertThat(key.get("kind").asString()).isEqualTo("client");
        assertThat(key.has("key")).as("the key itself is never listed").isFalse();
        String prefix = key.get("prefix").asString();
        if (prefix.endsWith("…")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        assertThat(prefix).isNotEmpty().isNotEqualTo(shown);
        assertThat(shown).startsWith(prefix);
        // The list below shows the new key by its prefix only.
        By row = By.cssSelector("#key-list tr[data-id='" + key.get("id").asString() + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        String rowText = driver.findElement(row).getText();
        assertThat(rowText).contains(prefix).doesNotContain(shown);
        // Shown once: leaving and coming back does not show it again.
        openSettings(other);
        openSettings(slug);
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        assertThat(driver.findElements(By.id("new-key"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain(shown);
    }

    @Test
    void anInvitationSentInTheConsoleIsAcceptedInTheInviteesConsole() {
        Account owner = newAccount();
        Account invitee = newAccount();
        String slug = newSlug();
        owner.api().post(API + "/projects", Map.of("name", "Team " + slug, "slug", slug)).expect(201);
        signInAndWaitForShell(owner);
        openSettings(slug);

        driver.findElement(By.id("invite-email")).sendKeys(invitee.email());
        new Select(driver.findElement(By.id("invite-role"))).selectByValue("developer");
        driver.findElement(By.id("invite-button")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-sent")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("invitation-list"), invitee.email()));
        assertThat(invitee.api().get(API + "/projects/" + slug).status()).as("not a member before accepting")
                .isEqualTo(404);

        driver.findElement(By.id("logout-button")).click();
        awaitView("login");
        signInAndWaitForShell(invitee);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("my-invitation-list"), slug));
        driver.findElement(By.cssSelector("#my-invitation-list .accept-invitation-button")).click();

        wait.until(ExpectedConditions.presenceOfElementLocated(projectItem(slug)));
        assertThat(invitee.api().get(API + "/projects/" + slug).expect(200).json().get("role").asString())
                .isEqualTo("developer");
    }

    @Test
    void logoutReturnsToTheLoginForm() {
        Account account = newAccount();
        signInAndWaitForShell(account);

        driver.findElement(By.id("logout-button")).click();

        awaitView("login");
        assertThat(driver.findElement(By.id("login-view")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("shell")).isDisplayed()).isFalse();
        wait.until(ExpectedConditions.textToBe(By.id("login-notice"), "You have signed out."));
        // The session really ended on the server: a fresh load of the console asks to sign in.
        driver.navigate().refresh();
        awaitView("login");
        assertThat(driver.findElement(By.id("shell")).isDisplayed()).isFalse();
    }

    // ---------------------------------------------------------------- helpers


    private static Account newAccount() {
        return console.newAccount();
    }

    private static String newSlug() {
        return "b-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }


    private void awaitView(String view) {
        console.awaitView(view);
    }

    private void signIn(String email, String password) {
        WebElement emailField = driver.findElement(By.id("email"));
        emailField.clear();
        emailField.sendKeys(email);
        WebElement passwordField = driver.findElement(By.id("password"));
        passwordField.clear();
        passwordField.sendKeys(password);
        driver.findElement(By.id("login-button")).click();
    }

    private void signInAndWaitForShell(Account account) {
        signIn(account.email(), account.password());
        awaitView("projects");
        wait.until(ExpectedConditions.textToBe(By.id("account-email"), account.email()));
    }


    /** The project's settings page (members, keys, ...), opened from the project switcher in the top bar. */
    private void openSettings(String slug) {
        new Select(driver.findElement(By.id("project-switch"))).selectByValue(slug);
        awaitView("functions");
        driver.findElement(By.cssSelector(".sidebar a[data-nav='settings']")).click();
        awaitView("settings");
        wait.until(ExpectedConditions.textToBe(By.id("project-slug"), slug));
    }

    private static By projectItem(String slug) {
        return By.cssSelector("#project-list li[data-project-slug='" + slug + "']");
    }

    private List<String> projectSlugsInList() {
        return driver.findElements(By.cssSelector("#project-list li")).stream()
                .map(item -> item.getDomAttribute("data-project-slug")).toList();
    }
}
