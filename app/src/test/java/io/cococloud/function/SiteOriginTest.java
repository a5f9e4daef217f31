package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.origin.TenantOrigins;
import io.cococloud.support.AdminApi;
import io.cococloud.support.HostHttp;
import io.cococloud.support.PublicDomainTest;

/**
 * With per-project origins ({@code coco.public-domain}), a project's site is served at the root of its own origin
 * ({slug}.localhost:{port}/api/hello), unsandboxed; the console's host sends it there (308); a host shared with
 * the console serves it under the CSP sandbox; another project's host does not serve it at all.
 */
@PublicDomainTest
class SiteOriginTest {

    private static final String WHERE = "def main():\n"
            + "    return {'path': request.path, 'params': request.params, 'name': request.get('name')}\n";

    @LocalServerPort
    int port;

    HostHttp http;
    Site a;
    Site b;

    record Site(SiteDeploys deploys, String slug) {
        String id() {
            return deploys.projectId();
        }
    }

    @BeforeEach
    void twoProjectsWithSites() {
        http = new HostHttp(port);
        a = site();
        b = site();
    }

    private Site site() {
        AdminApi owner = AdminApi.newAccount(port);
        String slug = "s-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String id = owner.post(API + "/projects", Map.of("name", "Site " + slug, "slug", slug)).expect(201).json()
                .get("id").asString();
        SiteDeploys deploys = new SiteDeploys(port, owner, id);
        deploys.deploy(SiteDeploys.files(
                "index.html", "<h1>" + slug + "</h1>",
                "cloud-functions/api/hello.py", WHERE,
                "cloud-functions/api/users/[id].py", WHERE));
        return new Site(deploys, slug);
    }

    private String hostOf(Site site) {
        return site.slug() + ".localhost:" + port;
    }

    private String console() {
        return "localhost:" + port;
    }

    @Test
    void theSiteIsServedAtTheRootOfItsProjectsOrigin() {
        HostHttp.Answer hello = http.get(hostOf(a), "/api/hello?name=Ada").expect(200);
        assertThat(hello.json().get("result").get("path").asString()).isEqualTo("/api/hello");
        assertThat(hello.json().get("result").get("name").asString()).isEqualTo("Ada");
        assertThat(hello.header("Content-Security-Policy")).isNull();
        assertThat(hello.header("X-Execution-Id")).isNotBlank();

        HostHttp.Answer user = http.get(hostOf(a), "/api/users/1024").expect(200);
        assertThat(user.json().get("result").get("params").get("id").asString()).isEqualTo("1024");

        HostHttp.Answer page = http.get(hostOf(a), "/").expect(200);
        assertThat(page.body()).isEqualTo("<h1>" + a.slug() + "</h1>");
        assertThat(page.header("Content-Security-Policy")).isNull();
        // nothing of the console's session machinery reaches a project's origin
        assertThat(hello.headers("Set-Cookie")).isEmpty();
        assertThat(page.headers("Set-Cookie")).isEmpty();
    }

    @Test
    void aPathOfTheOriginThatIsNoRouteOrFileIsNotFoundInTheEnvelope() {
        HostHttp.Answer missing = http.get(hostOf(a), "/v2/vip/1024").expect(404);
        assertThat(missing.header("Content-Type")).startsWith("application/json");
        assertThat(missing.json().get("error").asString()).contains("/v2/vip/1024");
    }

    @Test
    void theSitesListedUrlIsItsOrigin() {
        assertThat(a.deploys().owner().get(a.deploys().sitesPath()).expect(200).json().get("url").asString())
                .isEqualTo("http://" + hostOf(a) + "/");
    }

    @Test
    void theSiteAnswersUnderPSlashOnItsOriginToo() {
        HostHttp.Answer hello = http.get(hostOf(a), "/p/" + a.slug() + "/api/hello").expect(200);
        assertThat(hello.json().get("result").get("path").asString()).isEqualTo("/api/hello");
    }

    @Test
    void theConsolesHostSendsTheSiteToTheRootOfItsProjectsOrigin() {
        HostHttp.Answer moved = http.get(console(), "/p/" + a.id() + "/api/hello?name=Ada").expect(308);
        assertThat(moved.header("Location")).isEqualTo("http://" + hostOf(a) + "/api/hello?name=Ada");
        HostHttp.Answer bySlug = http.send("POST", console(), "/p/" + a.slug() + "/api/users/7", Map.of(), "{}")
                .expect(308);
        assertThat(bySlug.header("Location")).isEqualTo("http://" + hostOf(a) + "/api/users/7");
    }

    @Test
    void aHostSharedWithTheConsoleServesTheSiteInTheSandbox() {
        String shared = "127.0.0.1:" + port;
        HostHttp.Answer hello = http.get(shared, "/p/" + a.id() + "/api/hello").expect(200);
        assertThat(hello.header("Content-Security-Policy")).isEqualTo(TenantOrigins.SANDBOX);
        HostHttp.Answer page = http.get(shared, "/p/" + a.id() + "/").expect(200);
        assertThat(page.header("Content-Security-Policy")).isEqualTo(TenantOrigins.SANDBOX);
    }

    @Test
    void anotherProjectsOriginDoesNotServeTheSite() {
        http.get(hostOf(b), "/p/" + a.id() + "/api/hello").expect(404);
        http.get(hostOf(b), "/p/" + a.slug() + "/").expect(404);
        // b's root is b's own site
        assertThat(http.get(hostOf(b), "/").expect(200).body()).isEqualTo("<h1>" + b.slug() + "</h1>");
    }

    @Test
    void theServersOwnPathsStayClosedOnAnOriginWithASite() {
        for (String path : new String[] {"/console/", API + "/auth/csrf", "/actuator/health", "/admin"}) {
            HostHttp.Answer answer = http.get(hostOf(a), path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.header("Content-Type")).as(path).startsWith("application/problem+json");
        }
    }

    @Test
    void anOriginWhoseProjectHasNoSiteAnswersNotFoundAtItsRoot() {
        AdminApi owner = AdminApi.newAccount(port);
        String slug = "n-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        owner.post(API + "/projects", Map.of("name", "No site " + slug, "slug", slug)).expect(201);
        HostHttp.Answer root = http.get(slug + ".localhost:" + port, "/api/hello").expect(404);
        assertThat(root.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void aPreflightToTheSiteIsAnsweredByTheProjectsCorsSettings() {
        HostHttp.Answer preflight = http.send("OPTIONS", hostOf(a), "/api/hello", Map.of("Origin",
                "https://app.example", "Access-Control-Request-Method", "POST"), null).expect(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        HostHttp.Answer call = http.send("GET", hostOf(a), "/api/hello", Map.of("Origin", "https://app.example"),
                null).expect(200);
        assertThat(call.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        HostHttp.Answer byPath = http.send("OPTIONS", "127.0.0.1:" + port, "/p/" + a.id() + "/api/hello",
                Map.of("Origin", "https://app.example", "Access-Control-Request-Method", "POST"), null).expect(204);
        assertThat(byPath.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
    }
}
