package io.cococloud.origin;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.HostHttp;
import io.cococloud.support.PublicDomainTest;
import io.cococloud.support.StaticUploads;

/**
 * With {@code coco.public-domain} set, each project has an origin of its own ({slug}.localhost:{port}) that
 * serves nothing but its tenant content and the client API; the console's host (localhost:{port}) serves no
 * tenant content; the URLs the server hands out point at the project's origin.
 */
@PublicDomainTest
class ProjectOriginsTest {

    /** The policy of tenant responses on a host shared with the console (issue 9). */
    static final String SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";

    private static final String HELLO = "def main():\n    return {'hello': request.get('name', 'world')}\n";

    @LocalServerPort
    int port;

    HostHttp http;
    Project a;
    Project b;

    record Project(AdminApi owner, String id, String slug, String functionId, String functionName) {}

    @BeforeEach
    void twoProjects() {
        http = new HostHttp(port);
        a = project();
        b = project();
    }

    private Project project() {
        AdminApi owner = AdminApi.newAccount(port);
        String slug = "o-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String id = owner.post(API + "/projects", Map.of("name", "Origins " + slug, "slug", slug)).expect(201).json()
                .get("id").asString();
        String name = "hello";
        String functionId = owner.post(API + "/projects/" + id + "/functions", Map.of("name", name, "code", HELLO))
                .expect(201).json().get("id").asString();
        StaticUploads.upload(port, owner, id, "promo.html", "<h1>" + slug + "</h1>");
        return new Project(owner, id, slug, functionId, name);
    }

    private String hostOf(Project project) {
        return project.slug() + ".localhost:" + port;
    }

    private String console() {
        return "localhost:" + port;
    }

    @Test
    void aProjectsHostAnswersNotFoundForTheConsoleTheAdminApiAndTheActuator() {
        for (String path : new String[] {"/", "/console/", "/console/index.html", "/console", API + "/auth/csrf",
                API + "/me", API + "/projects/" + a.id() + "/members", "/actuator/health", "/actuator/prometheus",
                "/favicon.ico"}) {
            HostHttp.Answer answer = http.get(hostOf(a), path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.header("Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(answer.headers("Set-Cookie")).as(path + " sets no cookie").isEmpty();
        }
        HostHttp.Answer post = http.send("POST", hostOf(a), API + "/auth/login", Map.of("Content-Type",
                "application/json"), "{\"email\": \"" + AdminApi.ROOT_EMAIL + "\", \"password\": \""
                + AdminApi.ROOT_PASSWORD + "\"}");
        assertThat(post.status()).isEqualTo(404);
        assertThat(post.headers("Set-Cookie")).isEmpty();
        // a path that only looks like tenant content
        assertThat(http.get(hostOf(a), "/functions/../admin/api/v1/auth/csrf").status()).isIn(400, 404);
        assertThat(http.get(hostOf(a), "/static/..%2fadmin/api/v1/auth/csrf").status()).isIn(400, 404);
    }

    @Test
    void aProjectsHostServesItsOwnContentUnsandboxedAndNoOtherProjects() {
        HostHttp.Answer function = http.get(hostOf(a), "/functions/" + a.functionId() + "/execute?name=Ada").expect(200);
        assertThat(function.json().get("result").get("hello").asString()).isEqualTo("Ada");
        assertThat(function.header("Content-Security-Policy")).isNull();
        http.get(hostOf(a), "/functions/" + a.slug() + "/func/" + a.functionName()).expect(200);
        http.get(hostOf(a), "/functions/" + a.functionId() + "/invoke/some/where").expect(200);

        HostHttp.Answer page = http.get(hostOf(a), "/static/" + a.id() + "/promo.html").expect(200);
        assertThat(page.body()).isEqualTo("<h1>" + a.slug() + "</h1>");
        assertThat(page.header("Content-Security-Policy")).isNull();

        // the client API is there too: without a key it asks for one, rather than not existing
        assertThat(http.get(hostOf(a), "/collections/posts/documents").status()).isIn(400, 401);
        assertThat(http.get(hostOf(a), "/auth-collections/user").status()).isIn(400, 401);

        // another project's function or file is not found there
        HostHttp.Answer byId = http.get(hostOf(b), "/functions/" + a.functionId() + "/execute").expect(404);
        assertThat(byId.json().get("error").asString()).isEqualTo("Function not found");
        http.get(hostOf(b), "/functions/" + a.functionId() + "/invoke/x").expect(404);
        http.get(hostOf(b), "/functions/" + a.slug() + "/func/" + a.functionName()).expect(404);
        HostHttp.Answer file = http.get(hostOf(b), "/static/" + a.id() + "/promo.html").expect(404);
        assertThat(file.header("Content-Type")).startsWith("application/problem+json");
        assertThat(file.body()).doesNotContain(a.slug());
    }

    @Test
    void aHostUnderThePublicDomainThatNoProjectHasAnswersNotFound() {
        for (String host : new String[] {"nobody-" + UUID.randomUUID().toString().substring(0, 8) + ".localhost:" + port,
                a.id() + ".localhost:" + port, "x." + hostOf(a)}) {
            http.get(host, "/console/").expect(404);
            http.get(host, API + "/auth/csrf").expect(404);
            HostHttp.Answer function = http.get(host, "/functions/" + a.functionId() + "/execute").expect(404);
            assertThat(function.json().get("error").asString()).isEqualTo("Function not found");
            http.get(host, "/static/" + a.id() + "/promo.html").expect(404);
        }
    }

    @Test
    void theConsolesHostSendsTenantContentToTheProjectsOriginWithPathAndQuery() {
        String origin = "http://" + hostOf(a);
        String execute = "/functions/" + a.functionId() + "/execute?name=Ada&x=1%202";
        HostHttp.Answer moved = http.get(console(), execute).expect(308);
        assertThat(moved.header("Location")).isEqualTo(origin + execute);

        HostHttp.Answer posted = http.send("POST", console(), "/functions/" + a.slug() + "/func/hello",
                Map.of("Content-Type", "application/json"), "{\"payload\": {\"name\": \"Ada\"}}").expect(308);
        assertThat(posted.header("Location")).isEqualTo(origin + "/functions/" + a.slug() + "/func/hello");
        assertThat(http.get(console(), "/functions/" + a.functionId() + "/invoke/deep/path?q=1").expect(308)
                .header("Location")).isEqualTo(origin + "/functions/" + a.functionId() + "/invoke/deep/path?q=1");
        assertThat(http.get(console(), "/static/" + a.id() + "/promo.html").expect(308).header("Location"))
                .isEqualTo(origin + "/static/" + a.id() + "/promo.html");

        // what does not exist is not found, as anywhere
        http.get(console(), "/functions/" + UUID.randomUUID() + "/execute").expect(404);
        http.get(console(), "/functions/" + a.slug() + "/func/nothing").expect(404);
        http.get(console(), "/static/" + a.id() + "/nothing.html").expect(404);
        http.get(console(), "/static/" + UUID.randomUUID() + "/promo.html").expect(404);
        // and the console itself is there
        http.get(console(), "/console/").expect(200);
    }

    @Test
    void anyOtherHostIsSharedWithTheConsoleAndSandboxesTenantContent() {
        String shared = "127.0.0.1:" + port;
        HostHttp.Answer function = http.get(shared, "/functions/" + a.functionId() + "/execute").expect(200);
        assertThat(function.header("Content-Security-Policy")).isEqualTo(SANDBOX);
        HostHttp.Answer page = http.get(shared, "/static/" + a.id() + "/promo.html").expect(200);
        assertThat(page.header("Content-Security-Policy")).isEqualTo(SANDBOX);
        http.get(shared, "/console/").expect(200);
    }

    @Test
    void staticAndEnvUrlsAndTheAdminApisFunctionUrlsUseTheProjectsOrigin() {
        String origin = "http://" + hostOf(a);
        String env = a.owner().post(API + "/projects/" + a.id() + "/functions", Map.of("name", "env", "code",
                "def main():\n    return {'base': env.base_url, 'static': env.static_base_url}\n"))
                .expect(201).json().get("id").asString();
        String page = a.owner().post(API + "/projects/" + a.id() + "/functions", Map.of("name", "page", "code",
                "def main():\n    return render.render_html(\"<link href=\\\"{{ static('css/site.css') }}\\\">\")\n"))
                .expect(201).json().get("id").asString();

        JsonNode urls = http.get(hostOf(a), "/functions/" + env + "/execute").expect(200).json().get("result");
        assertThat(urls.get("base").asString()).isEqualTo(origin);
        assertThat(urls.get("static").asString()).isEqualTo(origin + "/static/" + a.id() + "/");
        assertThat(http.get(hostOf(a), "/functions/" + page + "/execute").expect(200).body())
                .isEqualTo("<link href=\"" + origin + "/static/" + a.id() + "/css/site.css\">");

        JsonNode listed = a.owner().get(API + "/projects/" + a.id() + "/functions/" + env).expect(200).json()
                .get("urls");
        assertThat(listed.get("execute").asString()).isEqualTo(origin + "/functions/" + env + "/execute");
        assertThat(listed.get("invoke").asString()).isEqualTo(origin + "/functions/" + env + "/invoke/");
        assertThat(listed.get("func").asString()).isEqualTo(origin + "/functions/" + a.id() + "/func/env");
    }
}
