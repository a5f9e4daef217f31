package io.cococloud.support;

import static io.cococloud.support.AdminApi.API;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The console in a real headless Chromium, driven the way a person uses it: signing in through its form,
 * opening its pages by their hash routes, waiting for what a page shows. A JUnit extension: one browser per test
 * class, against the class's running server, closed after it. Waits are for what the page shows, never for a time.
 *
 * <p>Pages mark themselves ready with {@code body[data-view=<name>]} once their data is loaded, and show the
 * server's problem in {@code #view-error} when loading failed; a form's error for one field is the element
 * {@code [data-error-for=<field>]} right after it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();
 * }</pre>
 */
public final class ConsoleBrowser implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Where the tests' screenshots go (the README links two of them, copied under docs/). */
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final boolean signOutBeforeEach;
    private HeadlessChromium browser;
    private WebDriver driver;
    private int port;
    private WebDriverWait wait;

    private ConsoleBrowser(boolean signOutBeforeEach) {
        this.signOutBeforeEach = signOutBeforeEach;
    }

    /** Each test starts on the login form, with no cookies and nothing stored in the tab. */
    public static ConsoleBrowser signedOutBeforeEachTest() {
        return new ConsoleBrowser(true);
    }

    /** One session for the whole class: its tests go on where the last one left the browser. */
    public static ConsoleBrowser oneSessionForTheClass() {
        return new ConsoleBrowser(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        port = SpringExtension.getApplicationContext(context).getEnvironment()
                .getRequiredProperty("local.server.port", Integer.class);
        browser = HeadlessChromium.start();
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
        wait.withMessage(this::whatThePageSays);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (signOutBeforeEach) {
            signOut();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public WebDriverWait await() {
        return wait;
    }

    public String consoleUrl() {
        return "http://localhost:" + port + "/console/";
    }

    // ---------------------------------------------------------------- accounts and projects

    /** A console account made by the instance administrator, with a personal access token for set-up calls. */
    public record Account(String email, String password, AdminApi api) {}

    /** A project made through the API: its id and slug. */
    public record Project(String id, String slug, String name) {}

    public Account newAccount() {
        String email = "console-" + UUID.randomUUID() + "@cococloud.test";
        String password = "password-" + UUID.randomUUID();
        AdminApi.root(port).post(API + "/accounts", Map.of("email", email, "password", password)).expect(201);
        return new Account(email, password, AdminApi.withToken(port, email, password));
    }

    public Project newProject(Account owner) {
        String slug = "c-" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        String name = "Console " + slug;
        String id = owner.api().post(API + "/projects", Map.of("name", name, "slug", slug)).expect(201).json()
                .get("id").asString();
        return new Project(id, slug, name);
    }

    // ---------------------------------------------------------------- signing in and out

    /** Back on the login form with no cookies and nothing in the tab's storage. */
    public void signOut() {
        driver.get(consoleUrl());
        driver.manage().deleteAllCookies();
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear(); localStorage.clear();");
        driver.navigate().refresh();
        awaitView("login");
    }

    /** Signs in with email and password (a session cookie, CSRF on writes) and waits for the project list. */
    public void signIn(Account account) {
        type(By.id("email"), account.email());
        type(By.id("password"), account.password());
        driver.findElement(By.id("login-button")).click();
        awaitView("projects");
    }

    /** Signs in by pasting a personal access token (Authorization: Bearer on every call, no session). */
    public void signInWithToken(String token) {
        driver.findElement(By.id("login-mode-button")).click();
        type(By.id("token"), token);
        driver.findElement(By.id("login-button")).click();
        awaitView("projects");
    }

    // ---------------------------------------------------------------- pages

    /** Opens a route of a project ("/functions", "/data/posts") and waits for the page named {@code view}. */
    public void open(Project project, String route, String view) {
        openRoute("/p/" + project.slug() + route, view);
    }

    /** Opens any hash route ("/" for the projects) and waits for the page named {@code view}. */
    public void openRoute(String route, String view) {
        String target = consoleUrl() + "#" + route;
        String before = driver.getCurrentUrl();
        driver.get(target);
        if (target.equals(before)) {
            ((JavascriptExecutor) driver).executeScript("window.cococloud.route()");
        }
        awaitView(view);
    }

    /** Waits until the page named {@code view} has loaded its data. */
    public void awaitView(String view) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-view='" + view + "']")));
    }

    /** Clicks a link or button, then waits for the page it leads to. */
    public void clickAndAwait(By target, String view) {
        driver.findElement(target).click();
        awaitView(view);
    }

    public WebElement find(By by) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(by));
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    public String text(By by) {
        return find(by).getText();
    }

    public void awaitText(By by, String contained) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, contained));
    }

    /** Waits until the message next to {@code field} (its [data-error-for]) says {@code contained}. */
    public String awaitFieldError(String field, String contained) {
        By error = By.cssSelector("[data-error-for='" + field + "']");
        awaitText(error, contained);
        return driver.findElement(error).getText();
    }

    /** Types into a field once the page has rendered what the last action asked for. */
    public void type(By field, String text) {
        awaitIdle();
        WebElement element = find(field);
        element.clear();
        element.sendKeys(text);
    }

    /** The text of a <code-editor> (CodeMirror). */
    public String editorText(By editor) {
        return (String) ((JavascriptExecutor) driver).executeScript("return arguments[0].value", find(editor));
    }

    /**
     * Replaces a <code-editor>'s text as typing would (its input event fires), once the page has rendered what the
     * last click asked for (else that render could put the editor's old text back).
     */
    public void setEditorText(By editor, String text) {
        awaitIdle();
        ((JavascriptExecutor) driver).executeScript(
                "const e = arguments[0]; e.value = ''; e.value = arguments[1];"
                        + " e.dispatchEvent(new Event('input', {bubbles: true}));", find(editor), text);
    }

    /** Waits until the console has no render pending. */
    public void awaitIdle() {
        wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("return window.cococloud.idle")));
    }

    /** Answers the console's confirmation dialog; {@code typed} is the text it asks to type, or null. */
    public void confirm(String typed) {
        WebElement dialog = find(By.cssSelector("dialog.confirm-dialog[open]"));
        if (typed != null) {
            dialog.findElement(By.id("confirm-input")).sendKeys(typed);
        }
        dialog.findElement(By.id("confirm-ok")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog.confirm-dialog"), 0));
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    // ---------------------------------------------------------------- screenshots

    /** Saves the page as target/console-screenshots/{name}.png. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code action} with the window at a width (768 is a tablet held upright), then restores 1280×900. */
    public void atWidth(int width, Runnable action) {
        driver.manage().window().setSize(new Dimension(width, 1024));
        try {
            action.run();
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    /** What the console says went wrong, so a timed-out wait tells why. */
    private String whatThePageSays() {
        try {
            Object said = ((JavascriptExecutor) driver).executeScript("""
                    const parts = [];
                    parts.push('view=' + (document.body.dataset.view || '(loading)'));
                    parts.push('url=' + location.href);
                    for (const e of document.querySelectorAll('.error, .problem, [role=alert]')) {
                      if (e.textContent.trim()) parts.push('shown: ' + e.textContent.trim().slice(0, 300));
                    }
                    return parts.join(' | ');""");
            return "the console showed: " + said;
        } catch (RuntimeException e) {
            return "the page could not be read (" + e.getClass().getSimpleName() + ")";
        }
    }
}
