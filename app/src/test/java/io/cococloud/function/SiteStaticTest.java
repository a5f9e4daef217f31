package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * A site's files outside cloud-functions/ are its frontend: served after the routes, with the content type of
 * their name, {@code index.html} for a folder, ETag and Last-Modified for revalidation, GET and HEAD only.
 */
@IntegrationTest
class SiteStaticTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};

    private static SiteDeploys site;

    @LocalServerPort
    int port;

    @BeforeEach
    void oneSite() {
        if (site == null) {
            site = SiteDeploys.inNewProject(port);
            site.deploy(SiteDeploys.files(
                    "index.html", "<!doctype html><h1>Home</h1>",
                    "docs/index.html", "<h1>Docs</h1>",
                    "docs/guide.html", "<h1>Guide</h1>",
                    "css/site.css", "body { color: red }",
                    "js/app.js", "console.log('hi')",
                    "img/logo.png", PNG,
                    "api/hello", "a static file shadowed by the route of the same path",
                    "cloud-functions/api/hello.py", "def main():\n    return 'from the route'\n"));
        }
    }

    @Test
    void theRootServesTheSitesIndexHtml() {
        AdminApi.Response response = site.get("/").expect(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(response.body()).isEqualTo("<!doctype html><h1>Home</h1>");
        assertThat(AdminApi.anonymous(port).get("/p/" + site.projectId()).expect(200).body())
                .isEqualTo("<!doctype html><h1>Home</h1>");
    }

    @Test
    void aFolderServesItsIndexHtmlWithOrWithoutATrailingSlash() {
        assertThat(site.get("/docs").expect(200).body()).isEqualTo("<h1>Docs</h1>");
        assertThat(site.get("/docs/").expect(200).body()).isEqualTo("<h1>Docs</h1>");
        assertThat(site.get("/docs/guide.html").expect(200).body()).isEqualTo("<h1>Guide</h1>");
    }

    @Test
    void eachFileHasTheContentTypeOfItsName() {
        assertThat(site.get("/css/site.css").expect(200).header("Content-Type")).isEqualTo("text/css;charset=utf-8");
        assertThat(site.get("/js/app.js").expect(200).header("Content-Type")).startsWith("text/javascript");
        AdminApi.Response png = site.get("/img/logo.png").expect(200);
        assertThat(png.header("Content-Type")).isEqualTo("image/png");
        assertThat(png.header("Content-Length")).isEqualTo(String.valueOf(PNG.length));
        assertThat(png.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void theRoutesComeBeforeTheStaticFiles() {
        assertThat(site.get("/api/hello").expect(200).json().get("result").asString()).isEqualTo("from the route");
    }

    @Test
    void aFileIsRevalidatedByItsETag() {
        AdminApi.Response first = site.get("/css/site.css").expect(200);
        String etag = first.header("ETag");
        assertThat(etag).matches("\"[0-9a-f]{64}\"");
        assertThat(first.header("Cache-Control")).isEqualTo("no-cache");
        AdminApi.Response again = site.call("GET", "/css/site.css", null, Map.of("If-None-Match", etag)).expect(304);
        assertThat(again.body()).isEmpty();
        site.call("GET", "/css/site.css", null, Map.of("If-None-Match", "\"other\"")).expect(200);
    }

    @Test
    void aFileIsRevalidatedByItsLastModified() {
        String lastModified = site.get("/css/site.css").expect(200).header("Last-Modified");
        assertThat(lastModified).isNotBlank();
        site.call("GET", "/css/site.css", null, Map.of("If-Modified-Since", lastModified)).expect(304);
    }

    @Test
    void headAnswersTheHeadersWithoutTheFile() {
        AdminApi.Response head = site.call("HEAD", "/css/site.css", null, Map.of()).expect(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf("body { color: red }".length()));
    }

    @Test
    void aStaticFileTakesNoOtherMethod() {
        AdminApi.Response post = site.call("POST", "/css/site.css", "{}", Map.of()).expect(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(post.json().get("error").asString()).contains("/css/site.css");
    }

    @Test
    void aPathThatIsNeitherARouteNorAFileIsNotFound() {
        AdminApi.Response response = site.get("/nothing/here.html").expect(404);
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("error").asString()).contains("/nothing/here.html");
    }

    @Test
    void onAHostSharedWithTheConsoleTheSiteRunsInTheSandbox() {
        // no public domain in this context: every host is shared with the console
        assertThat(site.get("/").expect(200).header("Content-Security-Policy"))
                .isEqualTo(io.cococloud.origin.TenantOrigins.SANDBOX);
        assertThat(site.get("/api/hello").expect(200).header("Content-Security-Policy"))
                .isEqualTo(io.cococloud.origin.TenantOrigins.SANDBOX);
    }

    @Test
    void aRedeployServesTheNewFilesAtOnce() {
        SiteDeploys other = SiteDeploys.inNewProject(port);
        other.deploy(SiteDeploys.files("index.html", "one"));
        String etag = other.get("/").expect(200).header("ETag");
        other.deploy(SiteDeploys.files("index.html", "two"));
        AdminApi.Response after = other.call("GET", "/", null, Map.of("If-None-Match", etag)).expect(200);
        assertThat(after.body()).isEqualTo("two");
    }
}
