package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** The rules every style shares (docs/functions.md), deployed through the admin API and called over HTTP. */
@IntegrationTest
class EntryStylesTest {

    private static Functions functions;

    @LocalServerPort
    int port;

    @BeforeEach
    void oneProject() {
        if (functions == null) {
            functions = Functions.inNewProject(port);
        }
    }

    private AdminApi.Response invoke(String id, String method, String pathAndQuery, String body) {
        return functions.call(method, "/functions/" + id + "/invoke" + pathAndQuery, body, Map.of());
    }

    @Test
    void handleReturningNothingIsAnEmpty200() {
        String id = functions.deploy("def handle(req):\n    pass\n");

        AdminApi.Response response = invoke(id, "GET", "/", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void handleWithADictBodyAnswersJsonAndSeesTheMultiDictQuery() {
        String id = functions.deploy("""
                def handle(req):
                    return {"status_code": 202, "headers": {"X-Kind": "dict"},
                            "body": {"all": req.query.getlist("tag"), "first": req.query["tag"], "path": req.path}}
                """);

        AdminApi.Response response = invoke(id, "GET", "/deep/path?tag=a&tag=b", null);

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.header("X-Kind")).isEqualTo("dict");
        assertThat(response.body()).isEqualTo("{\"all\":[\"a\",\"b\"],\"first\":\"a\",\"path\":\"/deep/path\"}");
    }

    @Test
    void handleReturningWhatItsRulesCannotCarryIs502NamingIt() {
        String id = functions.deploy("def handle(req):\n    return [1, 2]\n");

        JsonNode answer = invoke(id, "GET", "/", null).expect(502).json();

        assertThat(answer.get("error").asString()).isEqualTo("BadResponse");
        assertThat(answer.get("message").asString()).contains("handle() returned a list");
    }

    @Test
    void everyStyleSeesTheSamePresetGlobals() {
        String id = functions.deploy("""
                def handler(environ, start_response):
                    start_response('200 OK', [('Content-Type', 'text/plain')])
                    seen = [env.project_id, request.method, static('a.css'), type(uuid.uuid4()).__name__,
                            str(request.user), str(db)]
                    return [' '.join(seen).encode()]
                """);

        String body = invoke(id, "POST", "/", "{}").expect(200).body();

        assertThat(body).startsWith(functions.projectId() + " POST http").contains("a.css UUID None <db>");
    }

    @Test
    void theExplicitStyleSettingWinsOverTheParameterNames() {
        String id = functions.deploy("""
                def handler(environ, start_response):
                    return "event of " + type(environ).__name__ + " with " + type(start_response).__name__
                """, Map.of("style", "event"));

        assertThat(invoke(id, "GET", "/", null).expect(200).body()).isEqualTo("event of bytes with Context");
    }

    @Test
    void aSourceWithNoEntryPointIsRefusedWithTheAcceptedForms() {
        AdminApi.Response refused = functions.owner().post(functions.functionsPath(),
                Map.of("name", "no_entry", "code", "x = 1\n"));

        assertThat(refused.status()).isBetween(400, 422);
        assertThat(refused.body()).contains("def main()", "def handle(req)", "def handler(environ, start_response)",
                "def handler(event, context)", "class handler(BaseHTTPRequestHandler)");
    }

    @Test
    void sourceTooDeeplyNestedToCompileIsRefusedAsASyntaxProblemNotAServerError() {
        AdminApi.Response refused = functions.owner().post(functions.functionsPath(),
                Map.of("name", "nested", "code", "x = " + "-".repeat(200_000) + "1\ndef main():\n    return x\n"));

        assertThat(refused.status()).isBetween(400, 422);
        assertThat(refused.body()).contains("SyntaxError");
    }

    @Test
    void anImportedAppIsNoEntryPointUnlessTheHandlerNamesIt() {
        AdminApi.Response refused = functions.owner().post(functions.functionsPath(),
                Map.of("name", "imports_app", "code", "from os import path as app\n"));
        assertThat(refused.status()).as("a module that only imports a name app is not a WSGI app").isBetween(400, 422);

        functions.owner().post(functions.functionsPath(), Map.of("name", "names_app", "handler", "index.app",
                "code", "from os import path as app\n")).expect(201);
    }

    @Test
    void anErrorOfAnyStyleIsTheEnvelopeWithOnlyTheUsersFramesInTheTraceback() {
        String id = functions.deploy("""
                from http.server import BaseHTTPRequestHandler
                class handler(BaseHTTPRequestHandler):
                    def do_GET(self):
                        raise KeyError('missing')
                """);

        JsonNode answer = invoke(id, "GET", "/", null).expect(500).json();

        assertThat(answer.get("success").asBoolean()).isFalse();
        assertThat(answer.get("error").asString()).isEqualTo("KeyError: 'missing'");
        String executions = functions.functionsPath() + "/" + id + "/executions";
        JsonNode execution = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> functions.owner().get(executions).expect(200).json(), list -> list.size() == 1).get(0);
        assertThat(execution.get("traceback").asString()).contains("line 4, in do_GET", "raise KeyError('missing')")
                .doesNotContain("cococloud", "prelude");
    }
}
