package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * A deploy refused for its code carries {@code file} and {@code line} besides the detail, so the console can mark
 * the line in its editor; a refused setting carries the {@code field} it is about.
 */
@IntegrationTest
class DeployErrorLineTest {

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
    void aSyntaxErrorCarriesTheFileAndLine() {
        JsonNode problem = owner.post(base, Map.of("name", "broken", "code",
                "def main():\n    x = 1\n    return (x\n\n")).expect(400).json();

        assertThat(problem.get("file").asString()).isEqualTo("broken.py");
        assertThat(problem.get("line").asInt()).isEqualTo(3);
        assertThat(problem.get("detail").asString()).endsWith("(broken.py, line 3)");
    }

    @Test
    void aSyntaxErrorInAHelperFileNamesThatFile() {
        JsonNode problem = owner.post(base, Map.of("name", "multi", "files", Map.of(
                "index.py", "from lib import util\n\ndef handler(event, context):\n    return util.x\n",
                "lib/__init__.py", "", "lib/util.py", "x = 1\ny = = 2\n"))).expect(400).json();

        assertThat(problem.get("file").asString()).isEqualTo("lib/util.py");
        assertThat(problem.get("line").asInt()).isEqualTo(2);
    }

    @Test
    void anUpdateThatDoesNotCompileCarriesTheLineAndLeavesTheDeployedVersion() {
        String id = functions.deploy("def main():\n    return 1\n", Map.of("name", "kept"));

        JsonNode problem = owner.patch(base + "/" + id, Map.of("code", "def main():\n    return 1\n  oops\n"))
                .expect(400).json();

        assertThat(problem.get("file").asString()).isEqualTo("kept.py");
        assertThat(problem.get("line").asInt()).isEqualTo(3);
        assertThat(owner.get(base + "/" + id).expect(200).json().get("deployed_version").asInt()).isEqualTo(1);
    }

    @Test
    void codeWithoutItsEntryPointNamesTheFile() {
        JsonNode problem = owner.post(base, Map.of("name", "noentry", "code", "x = 1\n")).expect(400).json();

        assertThat(problem.get("file").asString()).isEqualTo("noentry.py");
        assertThat(problem.get("detail").asString()).contains("noentry.py");
    }

    @Test
    void aBadRequirementsLineNamesRequirementsTxtAndTheLine() {
        JsonNode problem = owner.post(base, Map.of("name", "reqs", "files", Map.of(
                "index.py", "def handler(event, context):\n    return 1\n",
                "requirements.txt", "# pinned\n!!not a requirement\n"))).expect(400).json();

        assertThat(problem.get("file").asString()).isEqualTo("requirements.txt");
        assertThat(problem.get("line").asInt()).isEqualTo(2);
    }

    @Test
    void aSiteFileThatDoesNotCompileCarriesItsPathInTheZipAndTheLine() {
        SiteDeploys site = new SiteDeploys(port, owner, functions.projectId());
        SiteDeploys.Answer answer = site.upload(SiteDeploys.zip(SiteDeploys.files(
                "cloud-functions/api/ok.py", "def main():\n    return 1\n",
                "cloud-functions/api/bad.py", "def main():\n    return [1,\n\n")), "application/zip");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("file").asString()).isEqualTo("cloud-functions/api/bad.py");
        assertThat(answer.json().get("line").asInt()).isPositive();
        assertThat(answer.json().get("detail").asString()).startsWith("The file 'cloud-functions/api/bad.py' does"
                + " not compile (line " + answer.json().get("line").asInt() + ")");
    }

    @Test
    void refusedSettingsNameTheirField() {
        expectField(Map.of("name", "9bad", "code", "def main():\n    return 1\n"), "name");
        expectField(Map.of("name", "t", "code", "def main():\n    return 1\n", "timeout_s", 0), "timeout_s");
        expectField(Map.of("name", "t", "code", "def main():\n    return 1\n", "style", "cgi"), "style");
        expectField(Map.of("name", "t", "code", "def main():\n    return 1\n", "async_retries", 99),
                "async_retries");
        expectField(Map.of("name", "t", "code", "def main():\n    return 1\n", "handler", "nodot"), "handler");
        expectField(Map.of("name", "t", "code", "   "), "code");
        expectField(Map.of("name", "t"), "code");
        expectField(Map.of("name", "t", "files", Map.of("../escape.py", "x = 1\n")), "files");
        expectField(Map.of("name", "t", "code", "x", "files", Map.of("a.py", "x = 1\n")), "files");
        expectField(Map.of("name", "t", "code", "def main():\n    return 1\n", "timeout_s", "soon"), "timeout_s");
    }

    @Test
    void aTakenNameIsAConflictNamingName() {
        functions.deploy("def main():\n    return 1\n", Map.of("name", "taken"));

        JsonNode problem = owner.post(base, Map.of("name", "taken", "code", "def main():\n    return 1\n"))
                .expect(409).json();

        assertThat(problem.get("field").asString()).isEqualTo("name");
    }

    private void expectField(Map<String, Object> body, String field) {
        JsonNode problem = owner.post(base, body).expect(400).json();
        assertThat(problem.get("field").asString()).as("%s → %s", body, problem).isEqualTo(field);
    }
}
