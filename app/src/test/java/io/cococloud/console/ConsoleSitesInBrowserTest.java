package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
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
 * The site in the console: the empty page says how a site zip is laid out; uploading one through the file field
 * shows its routes, static files and URL; an earlier version can be deployed again after a confirmation.
 */
@IntegrationTest
class ConsoleSitesInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    @LocalServerPort
    int port;

    @TempDir
    Path temp;




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

    private static Map<String, String> site(String version) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("cloud-functions/api/version.py", "def main():\n    return '" + version + "'\n");
        files.put("cloud-functions/users/[id].py", "def handle(req):\n    return {'id': req.params['id']}\n");
        files.put("index.html", "<h1>" + version + "</h1>");
        return files;
    }

    /** Deploys a site zip through the admin API as a script would (the body is the zip). */
    private void deploy(Account owner, Project project, Map<String, String> files) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + API + "/projects/"
                        + project.id() + "/sites"))
                .header("Authorization", "Bearer " + owner.api().bearerToken())
                .header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip(files))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static List<String> column(String selector) {
        return browser.findAll(By.cssSelector(selector)).stream().map(WebElement::getText).toList();
    }

    @Test
    void withoutASiteThePageSaysHowASiteZipIsLaidOut() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        browser.signIn(owner);

        browser.open(project, "/sites", "sites");

        assertThat(browser.text(By.cssSelector("#site-empty .empty-state")))
                .contains("No site is live").contains("cloud-functions/").contains("static file");
        assertThat(browser.findAll(By.id("route-table"))).isEmpty();
    }

    @Test
    void uploadingASiteZipShowsItsRoutes() throws Exception {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        Path file = Files.write(temp.resolve("site.zip"), zip(site("one")));
        browser.signIn(owner);
        browser.open(project, "/sites", "sites");

        browser.find(By.id("site-zip")).sendKeys(file.toAbsolutePath().toString());
        browser.find(By.id("site-upload-button")).click();

        browser.awaitText(By.id("site-notice"), "Version 1 is live.");
        assertThat(column("#route-table .route-pattern")).containsExactlyInAnyOrder("/api/version", "/users/[id]");
        assertThat(column("#route-table .route-file"))
                .containsExactlyInAnyOrder("cloud-functions/api/version.py", "cloud-functions/users/[id].py");
        WebElement param = browser.find(By.cssSelector("#route-table tr[data-name='users/[id].py']"));
        assertThat(param.getText()).contains("handle").contains("param");
        assertThat(column("#static-table code")).containsExactly("index.html");
        JsonNode live = owner.api().get(API + "/projects/" + project.id() + "/sites").expect(200).json();
        assertThat(live.get("version").asInt()).isEqualTo(1);
        assertThat(browser.text(By.id("site-url"))).isEqualTo(live.get("url").asString());
        assertThat(browser.text(By.id("site-version"))).isEqualTo("v1");
    }

    @Test
    void aZipThatCannotBeServedShowsTheServersMessageAndKeepsNothing() throws Exception {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        Map<String, String> broken = site("one");
        broken.put("cloud-functions/api/broken.py", "def main(:\n    return 1\n");
        Path file = Files.write(temp.resolve("broken.zip"), zip(broken));
        browser.signIn(owner);
        browser.open(project, "/sites", "sites");

        browser.find(By.id("site-zip")).sendKeys(file.toAbsolutePath().toString());
        browser.find(By.id("site-upload-button")).click();

        browser.awaitText(By.cssSelector("#content .form-error"), "api/broken.py");
        assertThat(browser.text(By.cssSelector("#content .form-error"))).contains("line 1");
        assertThat(browser.findAll(By.id("route-table"))).isEmpty();
        owner.api().get(API + "/projects/" + project.id() + "/sites").expect(404);
        assertThat(owner.api().get(API + "/projects/" + project.id() + "/sites/versions").expect(200).json().size())
                .isZero();
    }

    @Test
    void rollingTheSiteBackServesTheEarlierVersion() throws Exception {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deploy(owner, project, site("one"));
        Map<String, String> two = site("two");
        two.put("cloud-functions/api/extra.py", "def main():\n    return 'extra'\n");
        deploy(owner, project, two);
        AdminApi.anonymous(port).get("/p/" + project.id() + "/api/version").expect(200);
        browser.signIn(owner);
        browser.open(project, "/sites", "sites");
        assertThat(browser.text(By.id("site-version"))).isEqualTo("v2");
        assertThat(column("#route-table .route-pattern")).contains("/api/extra");
        browser.screenshot("sites");

        browser.find(By.cssSelector("#site-versions tr[data-id='1'] .site-rollback-button")).click();
        browser.confirm(null);

        browser.awaitText(By.id("site-version"), "v1");
        assertThat(browser.text(By.id("site-notice"))).isEqualTo("Version 1 is live.");
        assertThat(column("#route-table .route-pattern")).containsExactlyInAnyOrder("/api/version", "/users/[id]");
        assertThat(browser.find(By.cssSelector("#site-versions tr[data-id='1'] .badge")).getText()).isEqualTo("deployed");
        assertThat(owner.api().get(API + "/projects/" + project.id() + "/sites").expect(200).json().get("version")
                .asInt()).isEqualTo(1);
        assertThat(AdminApi.anonymous(port).get("/p/" + project.id() + "/api/version").expect(200).json()
                .get("result").asString()).isEqualTo("one");
    }

    @Test
    void aRoutesCallsAreListedUnderIt() throws Exception {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deploy(owner, project, site("one"));
        AdminApi.anonymous(port).get("/p/" + project.id() + "/api/version").expect(200);
        String calls = API + "/projects/" + project.id() + "/sites/executions?file=api/version.py";
        await().atMost(Duration.ofSeconds(30)).until(() -> owner.api().get(calls).expect(200).json().size() == 1);
        browser.signIn(owner);
        browser.open(project, "/sites", "sites");

        browser.find(By.cssSelector("#route-table tr[data-name='api/version.py'] .route-executions-button")).click();

        browser.awaitText(By.id("route-executions-title"), "api/version.py");
        browser.awaitText(By.cssSelector("#route-executions tbody"), "success");
        assertThat(browser.findAll(By.cssSelector("#route-executions tbody tr"))).hasSize(1);
    }
}
