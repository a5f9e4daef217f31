package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** Functions as a resource of a project: versions, rollback, checks at deploy, test calls, executions. */
@IntegrationTest
class FunctionAdminApiTest {

    @LocalServerPort
    int port;

    Functions functions;
    AdminApi owner;
    String base;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        owner = functions.owner();
        base = functions.functionsPath();
    }

    @Test
    void createDeploysVersionOneAndGivesItsUrls() {
        JsonNode created = owner.post(base, Map.of("name", "hello", "code", "def main():\n    return 'v1'\n"))
                .expect(201).json();
        assertThat(created.get("deployed_version").asInt()).isEqualTo(1);
        assertThat(created.get("timeout_s").asInt()).isEqualTo(30);
        assertThat(created.get("urls").get("execute").asString()).endsWith("/functions/" + created.get("id")
                .asString() + "/execute");
        assertThat(functions.get(created.get("id").asString(), "").expect(200).json().get("result").asString())
                .isEqualTo("v1");
        assertThat(owner.get(base).expect(200).json().get(0).get("name").asString()).isEqualTo("hello");
    }

    @Test
    void theListNamesTheStyleEachFunctionRunsIn() {
        owner.post(base, Map.of("name", "a-main", "code", "def main():\n    return 1\n")).expect(201);
        owner.post(base, Map.of("name", "b-handle", "code", "def handle(req):\n    return {'body': 'x'}\n"))
                .expect(201);

        JsonNode list = owner.get(base).expect(200).json();

        assertThat(list.get(0).get("deployed_style").asString()).isEqualTo("main");
        assertThat(list.get(1).get("deployed_style").asString()).isEqualTo("handle");
        assertThat(list.get(1).get("style").isNull()).as("detected, not set").isTrue();
    }

    @Test
    void aCodeChangeIsANewVersionDeployedAtOnceAndRollbackRedeploysAnOldOne() {
        String id = functions.deploy("def main():\n    return 'v1'\n");
        JsonNode updated = owner.patch(base + "/" + id, Map.of("code", "def main():\n    return 'v2'\n")).expect(200)
                .json();
        assertThat(updated.get("deployed_version").asInt()).isEqualTo(2);
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("v2");

        JsonNode versions = owner.get(base + "/" + id + "/versions").expect(200).json();
        assertThat(versions.size()).isEqualTo(2);
        assertThat(versions.get(0).get("deployed").asBoolean()).isTrue();

        owner.post(base + "/" + id + "/versions/1/deploy", null).expect(200);
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("v1");
        owner.post(base + "/" + id + "/versions/9/deploy", null).expect(404);
    }

    @Test
    void aDeploySaysWhatTheCodeUsesThatTheSandboxDeniesAndGoesOn() {
        JsonNode created = owner.post(base, Map.of("name", "local", "code",
                "import sqlite3\n\ndef main():\n    return sqlite3.connect('app.db')\n")).expect(201).json();

        String warning = "local.py line 1: sqlite3: sqlite3 cannot load in the sandbox (no native code, no files to"
                + " write): keep data in the project's collections through `db`";
        assertThat(created.get("warnings").valueStream().map(JsonNode::asString)).containsExactly(warning);
        assertThat(owner.get(base + "/" + created.get("id").asString()).expect(200).json().get("warnings")
                .valueStream().map(JsonNode::asString)).containsExactly(warning);
        JsonNode plain = owner.patch(base + "/" + created.get("id").asString(),
                Map.of("code", "def main():\n    return 1\n")).expect(200).json();
        assertThat(plain.get("warnings").isEmpty()).isTrue();
    }

    @Test
    void settingsChangeWithoutANewVersion() {
        String id = functions.deploy("def main():\n    return 'same'\n");
        JsonNode updated = owner.patch(base + "/" + id, Map.of("timeout_s", 5, "enabled", false)).expect(200).json();
        assertThat(updated.get("deployed_version").asInt()).isEqualTo(1);
        assertThat(updated.get("timeout_s").asInt()).isEqualTo(5);
        functions.get(id, "").expect(403);
    }

    @Test
    void codeThatDoesNotCompileIsRejectedWithThePythonErrorAndLine() {
        AdminApi.Response response = owner.post(base, Map.of("name", "broken",
                "code", "def main():\n    return (\n\nx = 1\n")).expect(400);
        String detail = response.json().get("detail").asString();
        assertThat(detail).contains("SyntaxError").containsPattern("line \\d+");
        assertThat(owner.get(base).expect(200).json().size()).isZero();
    }

    @Test
    void codeWithoutAnEntryPointIsRejectedListingTheAcceptedForms() {
        String detail = owner.post(base, Map.of("name", "nothing", "code", "x = 1\n")).expect(400).json()
                .get("detail").asString();
        assertThat(detail).contains("No entry point").contains("def main()").contains("def handle(req)");
    }

    @Test
    void aBrokenUpdateKeepsTheDeployedVersionRunning() {
        String id = functions.deploy("def main():\n    return 'good'\n");
        owner.patch(base + "/" + id, Map.of("code", "def main(:\n")).expect(400);
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("good");
        assertThat(owner.get(base + "/" + id + "/versions").json().size()).isEqualTo(1);
    }

    @Test
    void badSettingsAreClear400s() {
        String code = "def main():\n    return 1\n";
        assertThat(owner.post(base, Map.of("name", "bad name!", "code", code)).expect(400).json().get("detail")
                .asString()).contains("name");
        assertThat(owner.post(base, Map.of("name", "t", "code", code, "timeout_s", 901)).expect(400).json()
                .get("detail").asString()).contains("timeout_s");
        assertThat(owner.post(base, Map.of("name", "s", "code", code, "style", "cgi")).expect(400).json()
                .get("detail").asString()).contains("style");
        owner.post(base, Map.of("name", "empty", "code", "")).expect(400);
        owner.post(base, Map.of("name", "huge", "code", "#" + "x".repeat(600_000) + "\ndef main():\n    pass\n"))
                .expect(400);
    }

    @Test
    void aDuplicateNameIs409() {
        functions.deploy("def main():\n    return 1\n", Map.of("name", "twice"));
        owner.post(base, Map.of("name", "twice", "code", "def main():\n    return 2\n")).expect(409);
    }

    @Test
    void theTestCallShowsWhatTheUrlWouldAnswerAndTheLogs() {
        String id = functions.deploy("import sys, logging\ndef main():\n    print('out')\n"
                + "    print('to stderr', file=sys.stderr)\n    logging.warning('careful')\n"
                + "    return {'name': request.get('name'), 'h': request.headers.get('x-test')}\n");
        JsonNode result = owner.post(base + "/" + id + "/test", Map.of("method", "POST", "body", Map.of("name", "Ada"),
                "headers", Map.of("X-Test", "yes"))).expect(200).json();
        assertThat(result.get("status").asInt()).isEqualTo(200);
        assertThat(result.get("body").asString()).contains("\"name\":\"Ada\"").contains("\"h\":\"yes\"");
        assertThat(result.get("output").asString()).isEqualTo("out\n");
        assertThat(result.get("logs").asString()).contains("to stderr").contains("WARNING root: careful");
    }

    @Test
    void theTestCallGivesAWsgiHandlerTheQueryStringItsUrlWould() {
        String id = functions.deploy("def handler(environ, start_response):\n"
                + "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
                + "    return [environ['QUERY_STRING'].encode()]\n");
        JsonNode result = owner.post(base + "/" + id + "/test", Map.of("method", "GET",
                "query", Map.of("name", "Ada Lovelace", "tag", List.of("a&b", "c")))).expect(200).json();
        assertThat(result.get("status").asInt()).isEqualTo(200);
        assertThat(result.get("body").asString()).isIn("name=Ada+Lovelace&tag=a%26b&tag=c",
                "tag=a%26b&tag=c&name=Ada+Lovelace");
    }

    @Test
    void executionsAreRecordedWithOutputErrorAndTraceback() {
        String id = functions.deploy("def helper():\n    raise KeyError('missing')\n"
                + "def main():\n    print('trying')\n    helper()\n");
        functions.get(id, "").expect(500);
        JsonNode execution = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> owner.get(base + "/" + id + "/executions?status=error").expect(200).json(),
                list -> list.size() == 1).get(0);
        assertThat(execution.get("status").asString()).isEqualTo("error");
        assertThat(execution.get("http_status").asInt()).isEqualTo(500);
        assertThat(execution.get("output").asString()).isEqualTo("trying\n");
        assertThat(execution.get("error").asString()).isEqualTo("KeyError: 'missing'");
        assertThat(execution.get("traceback").asString()).contains("line 2, in helper").doesNotContain("prelude");
        owner.get(base + "/" + id + "/executions/" + execution.get("id").asString()).expect(200);
        owner.get(base + "/" + id + "/executions?status=success").expect(200);
        owner.get(base + "/" + id + "/executions?status=weird").expect(400);
        owner.get(base + "/" + id + "/executions?limit=0").expect(400);
    }

    @Test
    void deletingAFunctionRemovesItsUrl() {
        String id = functions.deploy("def main():\n    return 1\n");
        functions.get(id, "").expect(200);
        owner.delete(base + "/" + id).expect(204);
        functions.get(id, "").expect(404);
        owner.get(base + "/" + id).expect(404);
    }

    @Test
    void aViewerReadsFunctionsButCannotChangeOrTestThem() {
        String id = functions.deploy("def main():\n    return 1\n");
        AdminApi viewer = AdminApi.newAccount(port);
        owner.addMember(functions.projectId(), viewer, "viewer");
        viewer.get(base + "/" + id).expect(200);
        viewer.patch(base + "/" + id, Map.of("code", "def main():\n    return 2\n")).expect(403);
        viewer.post(base + "/" + id + "/test", Map.of()).expect(403);
        viewer.post(base, Map.of("name", "x", "code", "def main():\n    return 1\n")).expect(403);
    }

    @Test
    void aFunctionIsFoundByNameToo() {
        functions.deploy("def main():\n    return 1\n", Map.of("name", "by-name"));
        assertThat(owner.get(base + "/by-name").expect(200).json().get("name").asString()).isEqualTo("by-name");
    }
}
