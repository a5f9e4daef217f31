package io.cococloud.origin;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;
import io.cococloud.support.HeadlessChromium;
import io.cococloud.support.PublicDomainTest;
import io.cococloud.support.StaticUploads;

/**
 * The takeover of issue 9, replayed in headless Chromium: project A's owner publishes a page (a static file and
 * a function's HTML) whose script tries to read the console's cookies and CSRF token and to make A's owner an
 * owner of project B; B's owner, signed in to the console, opens it on a host shared with the console, on A's
 * own origin, and through the console's host. B stays unchanged, the console session keeps working, and the
 * page read no cookie and no answer of the admin API. Also: A's and B's pages keep their storage apart, and a
 * page on the shared host has no storage at all.
 */
@PublicDomainTest
class TenantOriginsInBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static WebDriver driver;
    private static HeadlessChromium browser;

    @LocalServerPort
    int port;

    private WebDriverWait wait;

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.start();
        driver = browser.driver();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        browser = null;
        driver = null;
    }

    @BeforeEach
    void waits() {
        wait = new WebDriverWait(driver, WAIT);
    }

    @Test
    void aTenantsPageCannotTakeOverAnotherProjectThroughTheSignedInConsole() {
        Account attacker = newAccount();
        Account victim = newAccount();
        Project a = newProject(attacker);
        Project b = newProject(victim);
        String page = attackPage(attacker.email(), b.id());
        StaticUploads.upload(port, attacker.api(), a.id(), "promo.html", page);
        String function = attacker.api().post(API + "/projects/" + a.id() + "/functions", Map.of("name", "promo",
                "code", "PAGE = r\"\"\"" + page + "\"\"\"\n\ndef main():\n    return render.render_html(PAGE)\n"))
                .expect(201).json().get("id").asString();
        // B's owner is signed in to the console on the console's host and on a host it shares with tenants
        signIn("localhost:" + port, victim, b);
        signIn("127.0.0.1:" + port, victim, b);

        String ownOrigin = "http://" + a.slug() + ".localhost:" + port;
        Map<String, JsonNode> reports = new java.util.LinkedHashMap<>();
        for (String host : List.of("127.0.0.1:" + port, a.slug() + ".localhost:" + port, "localhost:" + port)) {
            for (String path : List.of("/static/" + a.id() + "/promo.html", "/functions/" + function + "/execute")) {
                JsonNode report = open("http://" + host + path);
                reports.put(host + path + " (ran at " + driver.getCurrentUrl() + ")", report);
            }
        }

        JsonNode members = victim.api().get(API + "/projects/" + b.id() + "/members").expect(200).json();
        assertThat(members.size()).as("B's members after the pages ran: %s", reports).isEqualTo(1);
        assertThat(members.get(0).get("email").asString()).isEqualTo(victim.email());
        assertThat(victim.api().get(API + "/projects/" + b.id() + "/invitations").expect(200).json())
                .as("no invitation was sent from B either").isEmpty();
        reports.forEach((where, report) -> {
            assertThat(report.get("cookie").asString()).as(where).doesNotContain("SESSION").doesNotContain("XSRF");
            report.get("csrf").forEach(line -> assertThat(line.asString()).as(where)
                    .doesNotContain("token").doesNotContain("header_name").doesNotContain(" 200 "));
            report.get("post").forEach(line -> assertThat(line.asString()).as(where)
                    .doesNotMatch("^\\S* 2\\d\\d .*"));
        });
        // the console's host sent both pages to A's origin
        assertThat(reports.keySet()).filteredOn(where -> where.startsWith("localhost:"))
                .hasSize(2).allMatch(where -> where.contains("(ran at " + ownOrigin + "/"));
        // and B's owner is still signed in, on both hosts
        for (String host : List.of("localhost:" + port, "127.0.0.1:" + port)) {
            driver.get("http://" + host + "/console/");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-view='projects']")));
            wait.until(ExpectedConditions.presenceOfElementLocated(projectItem(b.slug())));
        }
    }

    @Test
    void projectsKeepTheirBrowserStorageApartAndTheSharedHostHasNone() {
        Account owner = newAccount();
        Project a = newProject(owner);
        Project b = newProject(owner);
        String probe = "<!doctype html><pre id='report'></pre><script>\n"
                + "let seen;\n"
                + "try { seen = 'saw ' + localStorage.getItem('secret'); localStorage.setItem('secret', location.host); }\n"
                + "catch (e) { seen = 'blocked: ' + e.name; }\n"
                + "document.getElementById('report').textContent = JSON.stringify({storage: seen});\n"
                + "document.body.dataset.done = 'yes';\n</script>";
        StaticUploads.upload(port, owner.api(), a.id(), "probe.html", probe);
        StaticUploads.upload(port, owner.api(), b.id(), "probe.html", probe);
        String aHost = a.slug() + ".localhost:" + port;
        String bHost = b.slug() + ".localhost:" + port;

        assertThat(storage("http://" + aHost + "/static/" + a.id() + "/probe.html")).isEqualTo("saw null");
        assertThat(storage("http://" + aHost + "/static/" + a.id() + "/probe.html")).isEqualTo("saw " + aHost);
        assertThat(storage("http://" + bHost + "/static/" + b.id() + "/probe.html")).isEqualTo("saw null");
        assertThat(storage("http://127.0.0.1:" + port + "/static/" + a.id() + "/probe.html"))
                .isEqualTo("blocked: SecurityError");
    }

    // ---------------------------------------------------------------- helpers

    private record Account(String email, String password, AdminApi api) {}

    private record Project(String id, String slug) {}

    private Account newAccount() {
        String email = "origin-" + UUID.randomUUID() + "@cococloud.test";
        String password = "password-" + UUID.randomUUID();
        AdminApi.root(port).post(API + "/accounts", Map.of("email", email, "password", password)).expect(201);
        return new Account(email, password, AdminApi.withToken(port, email, password));
    }

    private static Project newProject(Account owner) {
        String slug = "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String id = owner.api().post(API + "/projects", Map.of("name", "Tenant " + slug, "slug", slug)).expect(201)
                .json().get("id").asString();
        return new Project(id, slug);
    }

    /**
     * What a malicious page tries, against its own origin and both console hosts: read cookies, fetch the CSRF
     * token with credentials, add its author as an owner of the victim's project. It writes what it got.
     */
    private String attackPage(String attackerEmail, String victimProject) {
        String targets = "['', 'http://localhost:" + port + "', 'http://127.0.0.1:" + port + "']";
        return "<!doctype html><html><body><pre id='report'>running</pre><script>\n"
                + "(async () => {\n"
                + "  const report = {cookie: '', csrf: [], post: []};\n"
                + "  try { report.cookie = document.cookie; } catch (e) { report.cookie = 'blocked: ' + e.name; }\n"
                + "  for (const base of " + targets + ") {\n"
                + "    let token = '';\n"
                + "    try {\n"
                + "      const r = await fetch(base + '/admin/api/v1/auth/csrf', {credentials: 'include'});\n"
                + "      const text = await r.text();\n"
                + "      report.csrf.push(base + ' ' + r.status + ' ' + text);\n"
                + "      try { token = JSON.parse(text).token || ''; } catch (e) { }\n"
                + "    } catch (e) { report.csrf.push(base + ' failed: ' + e.name); }\n"
                + "    try {\n"
                + "      const r = await fetch(base + '/admin/api/v1/projects/" + victimProject + "/members', {\n"
                + "        method: 'POST', credentials: 'include',\n"
                + "        headers: {'Content-Type': 'application/json', 'X-XSRF-TOKEN': token},\n"
                + "        body: JSON.stringify({email: '" + attackerEmail + "', role: 'owner'})});\n"
                + "      report.post.push(base + ' ' + r.status + ' ' + await r.text());\n"
                + "    } catch (e) { report.post.push(base + ' failed: ' + e.name); }\n"
                + "  }\n"
                + "  document.getElementById('report').textContent = JSON.stringify(report);\n"
                + "  document.body.dataset.done = 'yes';\n"
                + "})();\n"
                + "</script></body></html>";
    }

    /** Opens a page and waits for its script to write its report. */
    private JsonNode open(String url) {
        driver.get(url);
        wait.withMessage(() -> "the page at " + driver.getCurrentUrl() + " never finished: " + driver.getPageSource())
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-done='yes']")));
        return JSON.readTree(driver.findElement(By.id("report")).getText());
    }

    private String storage(String url) {
        return open(url).get("storage").asString();
    }

    private void signIn(String host, Account account, Project project) {
        driver.get("http://" + host + "/console/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-view='login']")));
        WebElement email = driver.findElement(By.id("email"));
        email.clear();
        email.sendKeys(account.email());
        WebElement password = driver.findElement(By.id("password"));
        password.clear();
        password.sendKeys(account.password());
        driver.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-view='projects']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(projectItem(project.slug())));
    }

    private static By projectItem(String slug) {
        return By.cssSelector("#project-list li[data-project-slug='" + slug + "']");
    }
}
