package io.cococloud.origin;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.HostHttp;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.StaticUploads;

/**
 * The zero-config server (no public domain) shares every host with the console: each function answer, and each
 * static file a browser could open as a page, comes under the CSP sandbox, so its scripts run in an opaque
 * origin that reaches none of the console's cookies, storage or API.
 */
@IntegrationTest
class SharedHostSandboxTest {

    /** The policy of tenant responses on a host shared with the console (issue 9). */
    static final String SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";

    @LocalServerPort
    int port;

    private String host() {
        return "localhost:" + port;
    }

    @Test
    void everyFunctionAnswerIsSandboxedAndTheFunctionsOwnPolicyCannotLiftIt() {
        AdminApi owner = AdminApi.newAccount(port);
        String project = owner.createProject();
        String json = deploy(owner, project, "def main():\n    return {'ok': True}\n");
        String page = deploy(owner, project, "def main():\n    return render.render_html('<script>1</script>')\n");
        String own = deploy(owner, project, "def main():\n    return render.response('<p>hi</p>',"
                + " headers={'Content-Security-Policy': \"default-src 'self'\"}, content_type='text/html')\n");
        HostHttp http = new HostHttp(port);

        for (String id : new String[] {json, page}) {
            HostHttp.Answer answer = http.get(host(), "/functions/" + id + "/execute").expect(200);
            assertThat(answer.headers("Content-Security-Policy")).containsExactly(SANDBOX);
        }
        assertThat(http.get(host(), "/functions/" + own + "/execute").expect(200).headers("Content-Security-Policy"))
                .containsExactlyInAnyOrder(SANDBOX, "default-src 'self'");
        assertThat(http.get(host(), "/functions/" + project + "/func/nothing").expect(404)
                .header("Content-Security-Policy")).isEqualTo(SANDBOX);
    }

    @Test
    void staticFilesABrowserCouldOpenAsAPageAreSandboxedOthersAreServedAsTheyAre() {
        AdminApi owner = AdminApi.newAccount(port);
        String project = owner.createProject();
        Map<String, String> pages = Map.of("promo.html", "<script>1</script>", "page.xhtml", "<html/>",
                "logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>", "feed.xml", "<feed/>", "odd.xyz", "?");
        Map<String, String> inert = Map.of("pixel.png", "png", "site.css", "body{}", "app.js", "1", "data.json",
                "{}", "notes.txt", "hi", "song.mp3", "id3", "font.woff2", "wOF2", "doc.pdf", "%PDF");
        HostHttp http = new HostHttp(port);
        pages.forEach((path, content) -> StaticUploads.upload(port, owner, project, path, content));
        inert.forEach((path, content) -> StaticUploads.upload(port, owner, project, path, content));

        pages.keySet().forEach(path -> assertThat(http.get(host(), "/static/" + project + "/" + path).expect(200)
                .header("Content-Security-Policy")).as(path).isEqualTo(SANDBOX));
        inert.keySet().forEach(path -> assertThat(http.get(host(), "/static/" + project + "/" + path).expect(200)
                .header("Content-Security-Policy")).as(path).isNull());
        // app users' uploads keep their stricter policy, alone
        StaticUploads.upload(port, owner, project, "uploads/posts/1/file/x.html", "<script>1</script>");
        assertThat(http.get(host(), "/static/" + project + "/uploads/posts/1/file/x.html").expect(200)
                .headers("Content-Security-Policy")).containsExactly("default-src 'none'; sandbox");
    }

    private static String deploy(AdminApi owner, String project, String code) {
        return owner.post(API + "/projects/" + project + "/functions", Map.of("name",
                "f" + Integer.toHexString(code.hashCode()), "code", code)).expect(201).json().get("id").asString();
    }
}
