package io.cococloud.data;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** Web apps on origins of their own call the client API (CORS); the admin API never answers other origins. */
@IntegrationTest
class ClientCorsTest {

    private static final String APP = "https://app.example.test";

    @LocalServerPort
    int port;

    private AdminApi.Response preflight(String path, String method, String headers) {
        return AdminApi.anonymous(port).send("OPTIONS", path, null, Map.of("Origin", APP,
                "Access-Control-Request-Method", method, "Access-Control-Request-Headers", headers));
    }

    @Test
    void aPreflightIsAnsweredWithTheHeadersTheSdksSend() {
        AdminApi.Response response = preflight("/collections/posts/documents", "GET", "x-api-key,authorization");

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(response.header("Access-Control-Allow-Headers")).contains("x-api-key", "authorization",
                "content-type");
        assertThat(response.header("Access-Control-Allow-Methods")).contains("GET", "POST", "PATCH", "DELETE");
        assertThat(response.header("Access-Control-Allow-Credentials")).isNull();
        assertThat(preflight("/auth-collections/signup", "POST", "x-api-key,content-type").status()).isEqualTo(204);
    }

    @Test
    void byDefaultAnyOriginReadsTheAnswers() {
        ClientApp app = ClientApp.newProject(port);
        AdminApi.Response response = app.send("GET", "/collections/posts/documents", null, app.clientKey, null,
                Map.of("Origin", APP));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    }

    @Test
    void aProjectThatListsItsOriginsRefusesOthers() {
        ClientApp app = ClientApp.newProject(port);
        app.owner.put(API + "/projects/" + app.projectId + "/cors", Map.of("allowed_origins", List.of(APP)))
                .expect(200);

        AdminApi.Response allowed = app.send("GET", "/collections/posts/documents", null, app.clientKey, null,
                Map.of("Origin", APP));
        AdminApi.Response other = app.send("GET", "/collections/posts/documents", null, app.clientKey, null,
                Map.of("Origin", "https://evil.example.test"));

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.header("Content-Type")).startsWith("application/problem+json");
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        assertThat(other.body()).contains("evil.example.test");
    }

    @Test
    void originsThatAreNotOriginsAreRefusedNamingThem() {
        ClientApp app = ClientApp.newProject(port);
        String cors = API + "/projects/" + app.projectId + "/cors";

        assertThat(app.owner.put(cors, Map.of("allowed_origins", List.of("https://app.example.test/path")))
                .expect(400).body()).contains("https://app.example.test/path");
        assertThat(app.owner.put(cors, Map.of("allowed_origins", List.of("javascript:alert(1)"))).expect(400)
                .body()).contains("javascript:alert(1)");
        assertThat(app.owner.get(cors).expect(200).json().get("allowed_origins").get(0).asString()).isEqualTo("*");
    }

    @Test
    void theAdminApiAnswersNoOtherOrigin() {
        AdminApi.Response response = preflight(API + "/projects", "POST", "content-type,x-xsrf-token");

        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
        AdminApi.Response csrf = AdminApi.anonymous(port).send("GET", API + "/auth/csrf", null, Map.of("Origin", APP));
        assertThat(csrf.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aMadeUpKeyGetsItsRefusalReadableAndNamesNoProjectsSettings() {
        String madeUp = "coco_ck_" + UUID.randomUUID().toString().replace("-", "") + "_"
                + "x".repeat(43);
        AdminApi.Response response = AdminApi.anonymous(port).send("GET", "/collections/posts/documents", null,
                Map.of("x-api-key", madeUp, "Origin", APP));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    }
}
