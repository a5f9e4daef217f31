package io.cococloud.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;
import io.cococloud.template.TemplateRenderer;

/** Public serving of static files at the URL templates' static() renders. */
@IntegrationTest
class StaticServingTest {

    /** Over the gzip threshold, and compressible. */
    static final String CSS = "body { color: #333; }\n".repeat(200);

    @LocalServerPort
    int port;

    @Autowired
    TemplateRenderer templates;

    @Value("${coco.base-url}")
    String baseUrl;

    AdminApi owner;
    String projectId;
    StaticHttp http;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        http = new StaticHttp(port);
        Map<String, Object> site = new LinkedHashMap<>();
        site.put("index.html", "<h1>Hello</h1>");
        site.put("css/", null);
        site.put("css/site.css", CSS);
        site.put("js/app.js", "console.log('hi')");
        http.upload(owner, projectId, Multipart.form().file("zip", "site.zip", StaticHttp.zip(site))).expect(201);
    }

    /** The path part of the URL static(path) renders for this project. */
    private String staticPath(String project, String path) {
        String url = templates.renderString(UUID.fromString(project), "{{ static('" + path + "') }}", Map.of());
        assertThat(url).startsWith(baseUrl.replaceAll("/+$", "") + "/static/");
        return URI.create(url).getRawPath();
    }

    @Test
    void aFileFromAZipIsServedAtTheUrlStaticRendersWithItsTypeAndCachingHeaders() throws Exception {
        String path = staticPath(projectId, "css/site.css");
        assertThat(path).isEqualTo("/static/" + projectId + "/css/site.css");

        StaticHttp.Answer css = http.get(path).expect(200);

        assertThat(css.text()).isEqualTo(CSS);
        assertThat(css.header("Content-Type")).containsIgnoringCase("text/css").containsIgnoringCase("charset=utf-8");
        assertThat(css.header("Cache-Control")).isEqualTo("public, max-age=300");
        assertThat(css.header("ETag")).isEqualTo("\"" + sha256(CSS) + "\"");
        assertThat(css.header("Last-Modified")).isNotBlank();
        assertThat(css.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(css.raw().headers().allValues("X-Content-Type-Options")).hasSize(1);
        assertThat(css.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(http.get(staticPath(projectId, "js/app.js")).expect(200).header("Content-Type"))
                .containsIgnoringCase("javascript").containsIgnoringCase("charset=utf-8");
        assertThat(http.get(staticPath(projectId, "index.html")).expect(200).text()).isEqualTo("<h1>Hello</h1>");
    }

    @Test
    void aMatchingIfNoneMatchOrIfModifiedSinceGets304WithoutABody() {
        String path = staticPath(projectId, "css/site.css");
        StaticHttp.Answer first = http.get(path).expect(200);

        StaticHttp.Answer byTag = http.get(path, "If-None-Match", first.header("ETag")).expect(304);
        assertThat(byTag.bytes()).isEmpty();
        assertThat(byTag.header("ETag")).isEqualTo(first.header("ETag"));
        http.get(path, "If-Modified-Since", first.header("Last-Modified")).expect(304);
        http.get(path, "If-None-Match", "\"something-else\"").expect(200);
    }

    @Test
    void aSingleRangeGets206WithContentRangeAndAnUnsatisfiableOne416() {
        String path = staticPath(projectId, "css/site.css");

        StaticHttp.Answer part = http.get(path, "Range", "bytes=0-3", "Accept-Encoding", "gzip").expect(206);

        assertThat(part.text()).isEqualTo("body");
        assertThat(part.header("Content-Range")).isEqualTo("bytes 0-3/" + CSS.length());
        assertThat(part.header("Content-Encoding")).isNull();
        StaticHttp.Answer tail = http.get(path, "Range", "bytes=-5").expect(206);
        assertThat(tail.text()).isEqualTo(CSS.substring(CSS.length() - 5));

        StaticHttp.Answer none = http.get(path, "Range", "bytes=" + (CSS.length() + 10) + "-").expect(416);
        assertThat(none.header("Content-Range")).isEqualTo("bytes */" + CSS.length());
        assertThat(none.bytes()).isEmpty();
    }

    @Test
    void aClientThatAcceptsGzipGetsTheCompressedCopyOfALargeTextFile() throws IOException {
        String path = staticPath(projectId, "css/site.css");

        StaticHttp.Answer gzipped = http.get(path, "Accept-Encoding", "gzip, deflate, br").expect(200);

        assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gzipped.header("Vary")).containsIgnoringCase("Accept-Encoding");
        assertThat(gzipped.bytes().length).isLessThan(CSS.length() / 4);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.bytes()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(CSS);
        }
        // a different representation has a different strong ETag, and revalidates on its own
        assertThat(gzipped.header("ETag")).isNotEqualTo(http.get(path).header("ETag"));
        http.get(path, "Accept-Encoding", "gzip", "If-None-Match", gzipped.header("ETag")).expect(304);

        assertThat(http.get(path, "Accept-Encoding", "gzip;q=0").expect(200).header("Content-Encoding")).isNull();
        assertThat(http.get(path).expect(200).header("Content-Encoding")).isNull();
        StaticHttp.Answer small = http.get(staticPath(projectId, "js/app.js"), "Accept-Encoding", "gzip");
        assertThat(small.header("Content-Encoding")).as("too small to be worth it").isNull();
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutTheBody() {
        StaticHttp.Answer head = http.request("HEAD", staticPath(projectId, "css/site.css")).expect(200);

        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(CSS.length()));
        assertThat(head.header("ETag")).isEqualTo("\"" + sha256(CSS) + "\"");
        assertThat(head.header("Content-Type")).containsIgnoringCase("text/css");
        assertThat(head.bytes()).isEmpty();
    }

    @Test
    void aMissingFileOrUnknownProjectIs404() {
        StaticHttp.Answer missing = http.get(staticPath(projectId, "css/nothing.css"), "Accept", "text/css,*/*;q=0.1")
                .expect(404);
        assertThat(missing.header("Content-Type")).contains("problem+json");
        http.get("/static/" + UUID.randomUUID() + "/css/site.css").expect(404);
        http.get("/static/not-a-project/css/site.css").expect(404);
        http.get("/static/" + projectId + "/").expect(404);
        http.get("/static/" + projectId + "/css").expect(404);
    }

    @Test
    void onlyGetAndHeadAreServed() {
        assertThat(http.request("POST", staticPath(projectId, "css/site.css")).status()).isEqualTo(405);
        assertThat(http.request("DELETE", staticPath(projectId, "css/site.css")).status()).isEqualTo(405);
        http.get(staticPath(projectId, "css/site.css")).expect(200);
    }

    @Test
    void anotherProjectsFileIsNeverServedUnderThisProjectsUrl() {
        AdminApi other = AdminApi.newAccount(port);
        String projectB = other.createProject();
        http.upload(other, projectB, Multipart.form().file("file", "site.css", "b { color: red }")
                .field("path", "css/site.css")).expect(201);
        http.upload(other, projectB, Multipart.form().file("file", "only-b.css", "b only")).expect(201);

        assertThat(http.get(staticPath(projectId, "css/site.css")).expect(200).text()).isEqualTo(CSS);
        assertThat(http.get(staticPath(projectB, "css/site.css")).expect(200).text()).isEqualTo("b { color: red }");
        http.get(staticPath(projectId, "only-b.css")).expect(404);

        owner.delete(AdminApi.API + "/projects/" + projectId + "/static/css/site.css").expect(204);
        http.get(staticPath(projectId, "css/site.css")).expect(404);
        assertThat(http.get(staticPath(projectB, "css/site.css")).expect(200).text()).isEqualTo("b { color: red }");
    }

    @Test
    void traversalInTheUrlNeverReachesAnotherFile() {
        AdminApi other = AdminApi.newAccount(port);
        String projectB = other.createProject();
        http.upload(other, projectB, Multipart.form().file("file", "secret.txt", "B's secret")).expect(201);
        String a = "/static/" + projectId + "/";

        for (String attempt : new String[] {
                a + "../" + projectB + "/secret.txt",
                a + "css/../../" + projectB + "/secret.txt",
                a + "%2e%2e/" + projectB + "/secret.txt",
                a + "..%2f" + projectB + "%2fsecret.txt",
                a + "%252e%252e/" + projectB + "/secret.txt",
                a + "css%5c..%5c..%5c" + projectB + "%5csecret.txt",
                a + "./css/site.css",
                a + "css//site.css",
                a + "css/site.css%00",
                a + "css/site.css;x=1",
                a + "%2fetc/passwd"}) {
            StaticHttp.Answer answer = http.get(attempt);
            assertThat(answer.status()).as(attempt).isIn(400, 404);
            assertThat(answer.text()).as(attempt).doesNotContain("B's secret").doesNotContain("color: #333");
        }
    }

    @Test
    void appUsersUploadsAreServedSandboxed() {
        http.upload(owner, projectId, Multipart.form().file("file", "x.html", "<script>alert(1)</script>")
                .field("path", "uploads/posts/1/file/x.html")).expect(201);

        StaticHttp.Answer page = http.get(staticPath(projectId, "uploads/posts/1/file/x.html")).expect(200);

        assertThat(page.header("Content-Security-Policy")).contains("sandbox");
        // a site's own page, on this host shared with the console, is sandboxed too but keeps its scripts
        assertThat(http.get(staticPath(projectId, "index.html")).header("Content-Security-Policy"))
                .isEqualTo("sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
