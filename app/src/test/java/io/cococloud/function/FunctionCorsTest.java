package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** Pages on other origins call function URLs (CORS), as the project's CORS settings allow. */
@IntegrationTest
class FunctionCorsTest {

    private static final String APP = "https://app.example.test";

    @LocalServerPort
    int port;

    Functions project;
    String echo;

    @BeforeEach
    void aFunction() {
        project = Functions.inNewProject(port);
        echo = project.deploy("def main():\n    return {'method': request.method}\n");
    }

    private AdminApi.Response preflight(String path) {
        return project.call("OPTIONS", path, null, Map.of("Origin", APP, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type,authorization,x-my-header"));
    }

    @Test
    void aPreflightIsAnsweredForTheProjectsOrigins() {
        for (String path : List.of("/functions/" + echo + "/execute", "/functions/" + echo + "/invoke/a/b")) {
            AdminApi.Response response = preflight(path);

            assertThat(response.status()).as(path).isEqualTo(204);
            assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(APP);
            assertThat(response.header("Access-Control-Allow-Headers")).contains("x-my-header");
            assertThat(response.header("Access-Control-Allow-Credentials")).isNull();
        }
    }

    @Test
    void theAnswerIsReadableByAnAllowedOrigin() {
        AdminApi.Response response = project.call("POST", "/functions/" + echo + "/execute", Map.of(),
                Map.of("Origin", APP));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(response.header("Access-Control-Expose-Headers")).contains("X-Execution-Id");
    }

    @Test
    void anOriginTheProjectDoesNotListGetsNoCorsHeaders() {
        project.owner().put(API + "/projects/" + project.projectId() + "/cors",
                Map.of("allowed_origins", List.of("https://other.example.test"))).expect(200);

        AdminApi.Response refused = preflight("/functions/" + echo + "/execute");
        AdminApi.Response unreadable = project.call("GET", "/functions/" + echo + "/execute", null,
                Map.of("Origin", APP));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
        assertThat(unreadable.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aPlainOptionsRequestReachesTheFunction() {
        AdminApi.Response response = project.call("OPTIONS", "/functions/" + echo + "/execute", null, Map.of());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("result").get("method").asString()).isEqualTo("OPTIONS");
    }

    @Test
    void aFunctionsOwnAllowOriginWins() {
        String own = project.deploy("def main():\n    return render.response('x', headers={"
                + "'Access-Control-Allow-Origin': 'https://mine.example.test'})\n");

        AdminApi.Response response = project.call("GET", "/functions/" + own + "/execute", null,
                Map.of("Origin", APP));

        assertThat(response.raw().headers().allValues("Access-Control-Allow-Origin"))
                .containsExactly("https://mine.example.test");
    }
}
