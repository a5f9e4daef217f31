package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;
import io.cococloud.support.EdgeOneExamples;
import io.cococloud.support.IntegrationTest;

/**
 * The examples of reference/edgeone-pages-python-functions.txt, verbatim (the document lost its line breaks and
 * indentation; they are restored here and nothing else is changed), deployed as sites at the paths their
 * comments name and called through their site routes.
 *
 * <p>{@code self.path} of a class handler is the path within the site, query included ({@code /api/users/1024}):
 * "the path without the prefix removed", as the document's comment in users/[id].py says. So that example's
 * {@code self.path.strip('/')} is {@code api/users/1024}, and that is what it answers. The Flask and FastAPI
 * examples need third-party packages (issue 12): they deploy, and their calls fail with a clear
 * ModuleNotFoundError.
 */
@IntegrationTest
class SiteHandlerExamplesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static SiteDeploys handlers;

    @LocalServerPort
    int port;

    @BeforeEach
    void theHandlerClassExamplesDeployedAsOneSite() {
        if (handlers == null) {
            handlers = SiteDeploys.inNewProject(port);
            handlers.deploy(SiteDeploys.files(
                    "cloud-functions/api/hello.py", EdgeOneExamples.BASIC_HANDLER_CLASS,
                    "cloud-functions/api/users/index.py", EdgeOneExamples.USERS,
                    "cloud-functions/api/users/[id].py", EdgeOneExamples.USER_BY_ID,
                    "cloud-functions/api/search.py", EdgeOneExamples.SEARCH));
        }
    }

    @Test
    void theHandlerClassFilesAreRoutesOfTheHttpHandlerStyle() {
        JsonNode routes = handlers.owner().get(handlers.sitesPath()).expect(200).json().get("routes");
        assertThat(routes.valueStream().map(r -> r.get("file").asString() + " " + r.get("style").asString()))
                .containsExactlyInAnyOrder("api/hello.py http_handler", "api/users/index.py http_handler",
                        "api/users/[id].py http_handler", "api/search.py http_handler");
    }

    @Test
    void theBasicHandlerClassAnswersItsJson() {
        AdminApi.Response response = handlers.get("/api/hello").expect(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(JSON.readTree(response.body()).get("message").asString()).isEqualTo("Hello from Python Functions!");
    }

    @Test
    void theBasicUsageExampleAnswersPlainText() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(SiteDeploys.files("cloud-functions/api/hello.py", EdgeOneExamples.HELLO_WORLD));
        AdminApi.Response response = site.get("/api/hello").expect(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain");
        assertThat(response.body()).isEqualTo("Hello, world!");
    }

    @Test
    void aMethodTheHandlerDoesNotImplementAnswers501AsTheStandardLibraryDoes() {
        handlers.call("PUT", "/api/hello", "{}", Map.of()).expect(501);
    }

    @Test
    void theUsersExampleListsWithGet() {
        AdminApi.Response response = handlers.get("/api/users").expect(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("{\"users\": []}");
    }

    @Test
    void theUsersExampleCreatesWithPostFromTheJsonBody() {
        AdminApi.Response response = handlers.call("POST", "/api/users", "{\"name\": \"Ada\"}",
                Map.of("Content-Type", "application/json")).expect(201);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("{\"message\": \"Created\", \"data\": {\"name\": \"Ada\"}}");
    }

    @Test
    void theUsersExampleDeletesWithAnEmpty204() {
        AdminApi.Response response = handlers.call("DELETE", "/api/users", null, Map.of()).expect(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void theDynamicRouteExampleReadsSelfPathWhichIsTheWholeSitePath() {
        AdminApi.Response response = handlers.get("/api/users/1024").expect(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("{\"user_id\": \"api/users/1024\"}");
    }

    @Test
    void theQueryExampleReadsTheQueryFromSelfPath() {
        assertThat(handlers.get("/api/search?name=Alice&age=25").expect(200).body())
                .isEqualTo("{\"hello\": \"Alice\"}");
        assertThat(handlers.get("/api/search").expect(200).body()).isEqualTo("{\"hello\": \"Guest\"}");
    }

    @Test
    void theFlaskExampleDeploysAndFailsWithAClearModuleNotFoundError() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        JsonNode deployed = site.deploy(SiteDeploys.files("cloud-functions/api/index.py", EdgeOneExamples.FLASK));
        assertThat(deployed.get("routes").get(0).get("style").asString()).isEqualTo("wsgi");
        AdminApi.Response response = site.get("/api/users");
        assertThat(response.status()).isGreaterThanOrEqualTo(500);
        assertThat(response.body()).contains("ModuleNotFoundError", "flask");
    }

    @Test
    void theFastApiExampleDeploysAndFailsWithAClearModuleNotFoundError() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(SiteDeploys.files("cloud-functions/api/index.py", EdgeOneExamples.FASTAPI));
        AdminApi.Response response = site.get("/api/items");
        assertThat(response.status()).isGreaterThanOrEqualTo(500);
        assertThat(response.body()).contains("ModuleNotFoundError", "fastapi");
    }

    // ---- beyond the document's examples: what a framework app sees of the path ----

    @Test
    void aWsgiAppSeesThePathWithItsFilesRoutePrefixRemoved() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(SiteDeploys.files("cloud-functions/api/index.py", """
                import json
                def application(environ, start_response):
                    start_response('200 OK', [('Content-Type', 'application/json')])
                    return [json.dumps({'script_name': environ['SCRIPT_NAME'],
                                        'path_info': environ['PATH_INFO']}).encode()]
                """));
        JsonNode users = JSON.readTree(site.get("/api/users").expect(200).body());
        assertThat(users.get("path_info").asString()).isEqualTo("/users");
        assertThat(users.get("script_name").asString()).isEqualTo("/p/" + site.projectId() + "/api");
        // every path under the app's prefix reaches the app
        JsonNode deep = JSON.readTree(site.get("/api/users/7/orders").expect(200).body());
        assertThat(deep.get("path_info").asString()).isEqualTo("/users/7/orders");
    }
}
