package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * The file-system routes of edgeone-pages-python-functions.txt ("Routing": the directory example and its two
 * tables) and docs/functions.md, deployed as one site and called at /p/{project}/.... Each route file is a
 * main() function (a valid route entry too) that answers which file ran, with the path and parameters it saw, so
 * that the routing itself is what is tested here; the document's class handlers are in
 * {@link SiteHandlerExamplesTest}.
 */
@IntegrationTest
class SiteRoutingTest {

    /** The directory structure example, every file answering its own name. */
    static final String[] EDGEONE_TREE = {"api/index.py", "api/hello.py", "api/users/index.py", "api/users/list.py",
            "api/users/[id].py", "api/orders/index.py", "api/[[default]].py"};

    private static SiteDeploys site;

    @LocalServerPort
    int port;

    @BeforeEach
    void theDirectoryExampleDeployedOnce() {
        if (site == null) {
            site = SiteDeploys.inNewProject(port);
            Map<String, Object> files = new java.util.LinkedHashMap<>();
            for (String file : EDGEONE_TREE) {
                files.put("cloud-functions/" + file, whoAmI(file));
            }
            site.deploy(files);
        }
    }

    static String whoAmI(String file) {
        return "def main():\n    return {'file': '" + file + "', 'path': request.path, 'params': request.params}\n";
    }

    private JsonNode answerOf(String path) {
        AdminApi.Response response = site.get(path).expect(200);
        return response.json().get("result");
    }

    private String fileAnswering(String path) {
        return answerOf(path).get("file").asString();
    }

    @Test
    void eachFileOfTheDirectoryExampleAnswersItsRoute() {
        // the first table: file path → routing
        assertThat(fileAnswering("/api")).isEqualTo("api/index.py");
        assertThat(fileAnswering("/api/hello")).isEqualTo("api/hello.py");
        assertThat(fileAnswering("/api/users")).isEqualTo("api/users/index.py");
        assertThat(fileAnswering("/api/users/list")).isEqualTo("api/users/list.py");
        assertThat(fileAnswering("/api/users/1024")).isEqualTo("api/users/[id].py");
        assertThat(fileAnswering("/api/orders")).isEqualTo("api/orders/index.py");
        assertThat(fileAnswering("/api/anything")).isEqualTo("api/[[default]].py");
    }

    @Test
    void aStaticRouteWinsOverAParameterAndAParameterOverACatchAll() {
        // /api/users/list is both list.py and [id].py's shape: the static route wins
        assertThat(fileAnswering("/api/users/list")).isEqualTo("api/users/list.py");
        // /api/users/1024 is both [id].py and [[default]].py's: the single-level parameter wins
        assertThat(fileAnswering("/api/users/1024")).isEqualTo("api/users/[id].py");
    }

    @Test
    void aSingleLevelParameterMatchesOneSegmentAndIsARouteParameter() {
        JsonNode answer = answerOf("/api/users/1024");
        assertThat(answer.get("file").asString()).isEqualTo("api/users/[id].py");
        assertThat(answer.get("params").get("id").asString()).isEqualTo("1024");
        assertThat(answer.get("path").asString()).isEqualTo("/api/users/1024");
    }

    @Test
    void theSecondTablesRowsForTheCatchAllMatchOneOrMoreSegments() {
        JsonNode books = answerOf("/api/books/list");
        assertThat(books.get("file").asString()).isEqualTo("api/[[default]].py");
        assertThat(books.get("params").get("default").asString()).isEqualTo("books/list");
        JsonNode number = answerOf("/api/1024");
        assertThat(number.get("file").asString()).isEqualTo("api/[[default]].py");
        assertThat(number.get("params").get("default").asString()).isEqualTo("1024");
    }

    @Test
    void pathsTheIdRouteDoesNotMatchGoToTheCatchAllOfTheWholeTree() {
        // "No" for [id].py: two segments after users/, or not under users/ at all; [[default]].py takes them
        assertThat(fileAnswering("/api/users/vip/1024")).isEqualTo("api/[[default]].py");
        assertThat(fileAnswering("/api/vip/1024")).isEqualTo("api/[[default]].py");
    }

    @Test
    void aPathNoRouteMatchesIsNotFoundInTheExecutionEnvelope() {
        // "No" for [[default]].py: /v2/vip/1024 is not under /api
        AdminApi.Response response = site.get("/v2/vip/1024").expect(404);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("error").asString()).contains("/v2/vip/1024");
    }

    @Test
    void theIdRouteAloneAnswersNotFoundForTheSecondTablesNoRows() {
        SiteDeploys alone = SiteDeploys.inNewProject(port);
        alone.deploy(Map.of("cloud-functions/api/users/[id].py", whoAmI("api/users/[id].py")));
        assertThat(alone.get("/api/users/1024").expect(200).json().get("result").get("file").asString())
                .isEqualTo("api/users/[id].py");
        alone.get("/api/users/vip/1024").expect(404);
        alone.get("/api/vip/1024").expect(404);
    }

    @Test
    void theCatchAllAloneAnswersNotFoundOutsideItsFolder() {
        SiteDeploys alone = SiteDeploys.inNewProject(port);
        alone.deploy(Map.of("cloud-functions/api/[[default]].py", whoAmI("api/[[default]].py")));
        alone.get("/api/books/list").expect(200);
        alone.get("/api/1024").expect(200);
        alone.get("/v2/vip/1024").expect(404);
        // one or more segments: the folder itself is not matched
        alone.get("/api").expect(404);
    }

    @Test
    void aTrailingSlashNamesTheSameRoute() {
        assertThat(fileAnswering("/api/users/")).isEqualTo("api/users/index.py");
    }

    @Test
    void everyMethodReachesTheRoute() {
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            AdminApi.Response response = site.call(method, "/api/hello", method.equals("DELETE") ? null : "{}",
                    Map.of()).expect(200);
            assertThat(response.json().get("result").get("file").asString()).as(method).isEqualTo("api/hello.py");
        }
    }

    @Test
    void theProjectsSlugNamesItsSiteToo() {
        String slug = site.owner().get(AdminApi.API + "/projects/" + site.projectId()).expect(200).json().get("slug")
                .asString();
        AdminApi.Response response = AdminApi.anonymous(port).get("/p/" + slug + "/api/hello").expect(200);
        assertThat(response.json().get("result").get("file").asString()).isEqualTo("api/hello.py");
    }

    @Test
    void aRouteCallIsRecordedAsAnExecutionOfItsFile() {
        String executionId = site.get("/api/orders").expect(200).header("X-Execution-Id");
        assertThat(executionId).isNotBlank();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode executions = site.owner().get(site.sitesPath() + "/executions?file=api/orders/index.py")
                    .expect(200).json();
            assertThat(executions.valueStream().map(e -> e.get("id").asString())).contains(executionId);
            assertThat(executions.get(0).get("trigger").asString()).isEqualTo("route");
        });
    }

    @Test
    void aRequestOverFunctionComputesLimitsIsRefusedInTheExecutionEnvelope() {
        AdminApi.Response longUrl = site.get("/api/hello?q=" + "x".repeat(5000)).expect(400);
        assertThat(longUrl.json().get("error").asString()).isEqualTo("InvalidArgument");
        assertThat(longUrl.json().get("message").asString()).contains("limit is 4096");
        AdminApi.Response bigHeaders = site.call("GET", "/api/hello", null, Map.of("X-Big", "y".repeat(9000)))
                .expect(400);
        assertThat(bigHeaders.json().get("error").asString()).isEqualTo("InvalidArgument");
    }

    @Test
    void theSiteListsItsRoutesWithTheirStyles() {
        JsonNode live = site.owner().get(site.sitesPath()).expect(200).json();
        assertThat(live.get("routes").valueStream().map(r -> r.get("pattern").asString() + " " + r.get("file")
                .asString() + " " + r.get("style").asString())).containsExactlyInAnyOrder(
                        "/api api/index.py main", "/api/hello api/hello.py main",
                        "/api/users api/users/index.py main", "/api/users/list api/users/list.py main",
                        "/api/users/[id] api/users/[id].py main", "/api/orders api/orders/index.py main",
                        "/api/[[default]] api/[[default]].py main");
    }
}
