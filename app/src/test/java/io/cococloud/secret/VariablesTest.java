package io.cococloud.secret;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** /variables in the admin API, and variables in functions: os.environ and function.variables. */
@IntegrationTest
class VariablesTest {

    @LocalServerPort
    int port;

    @Autowired
    VariableService variableService;

    Functions functions;
    AdminApi owner;
    String variables;

    @BeforeEach
    void aProject() {
        functions = Functions.inNewProject(port);
        owner = functions.owner();
        variables = API + "/projects/" + functions.projectId() + "/variables";
    }

    @Test
    void aPutCreatesWith201ThenReplacesWith200AndTheListShowsValues() {
        AdminApi.Response created = owner.put(variables + "/API_URL", Map.of("value", "https://a.test")).expect(201);
        assertThat(created.json().get("name").asString()).isEqualTo("API_URL");
        assertThat(created.json().get("value").asString()).isEqualTo("https://a.test");
        owner.put(variables + "/API_URL", Map.of("value", "https://b.test")).expect(200);
        owner.put(variables + "/EMPTY", Map.of("value", "")).expect(201);
        JsonNode list = owner.get(variables).expect(200).json();
        assertThat(list.size()).isEqualTo(2);
        assertThat(list.get(0).get("name").asString()).isEqualTo("API_URL");
        assertThat(list.get(0).get("value").asString()).isEqualTo("https://b.test");
        assertThat(list.get(0).get("updated_at").asString()).isNotBlank();
    }

    @Test
    void deletingIs204AndAMissingOneIs404() {
        owner.put(variables + "/GONE", Map.of("value", "x")).expect(201);
        owner.delete(variables + "/GONE").expect(204);
        owner.delete(variables + "/GONE").expect(404);
        assertThat(owner.get(variables).expect(200).json().size()).isZero();
    }

    @Test
    void badNamesAndValuesAre400() {
        owner.put(variables + "/9LIVES", Map.of("value", "x")).expect(400);
        owner.put(variables + "/with-dash", Map.of("value", "x")).expect(400);
        owner.put(variables + "/OK", Map.of()).expect(400);
        owner.put(variables + "/OK", Map.of("value", true)).expect(400);
        owner.put(variables + "/OK", Map.of("value", "nul\0inside")).expect(400);
        AdminApi.Response tooBig = owner.put(variables + "/OK", Map.of("value", "x".repeat(32 * 1024 + 1)))
                .expect(400);
        assertThat(tooBig.json().get("detail").asString()).contains("32768");
        owner.put(variables + "/OK", Map.of("value", "x".repeat(32 * 1024))).expect(201);
    }

    @Test
    void developersWriteVariablesAndViewersOnlyRead() {
        AdminApi developer = member("developer");
        AdminApi viewer = member("viewer");
        developer.put(variables + "/MODE", Map.of("value", "dev")).expect(201);
        assertThat(viewer.get(variables).expect(200).json().get(0).get("value").asString()).isEqualTo("dev");
        viewer.put(variables + "/MODE", Map.of("value", "viewer")).expect(403);
        viewer.delete(variables + "/MODE").expect(403);
        developer.delete(variables + "/MODE").expect(204);
    }

    @Test
    void anotherProjectsVariablesAreInvisibleThroughUrlsAndFunctions() {
        owner.put(variables + "/MINE", Map.of("value", "a")).expect(201);
        Functions other = Functions.inNewProject(port);
        String theirs = API + "/projects/" + other.projectId() + "/variables";
        other.owner().put(theirs + "/THEIRS", Map.of("value", "b")).expect(201);

        other.owner().get(variables).expect(404);
        other.owner().put(variables + "/MINE", Map.of("value", "changed")).expect(404);
        other.owner().delete(variables + "/MINE").expect(404);
        JsonNode seen = functions.runMain("import os\nreturn sorted(os.environ)");
        assertThat(seen.valueStream().map(JsonNode::asString).toList()).containsExactly("MINE");
        JsonNode seenThere = other.runMain("import os\nreturn sorted(os.environ)");
        assertThat(seenThere.valueStream().map(JsonNode::asString).toList()).containsExactly("THEIRS");
    }

    @Test
    void functionsSeeVariablesInOsEnvironAndFunctionVariables() {
        owner.put(variables + "/API_URL", Map.of("value", "https://api.test")).expect(201);
        owner.put(variables + "/RETRIES", Map.of("value", "3")).expect(201);
        String id = functions.deploy("""
                import os
                from function import variables
                def main():
                    return {"environ": os.environ.get("API_URL"), "getenv": os.getenv("RETRIES"),
                            "missing": os.getenv("NOPE", "default"), "item": variables["API_URL"],
                            "get": variables.get("NOPE"), "attribute": variables.RETRIES,
                            "as_dict": dict(variables), "contains": "RETRIES" in variables}
                """);
        JsonNode result = functions.get(id, "").expect(200).json().get("result");
        assertThat(result.get("environ").asString()).isEqualTo("https://api.test");
        assertThat(result.get("getenv").asString()).isEqualTo("3");
        assertThat(result.get("missing").asString()).isEqualTo("default");
        assertThat(result.get("item").asString()).isEqualTo("https://api.test");
        assertThat(result.get("get").asString()).as("absent: \"\", as secrets.get answers").isEqualTo("");
        assertThat(result.get("attribute").asString()).isEqualTo("3");
        assertThat(result.get("as_dict").size()).isEqualTo(2);
        assertThat(result.get("contains").asBoolean()).isTrue();
    }

    @Test
    void theServersOwnEnvironmentIsNotVisible() {
        JsonNode result = functions.runMain("import os\nreturn [os.environ.get('PATH'), os.getenv('HOME'), "
                + "os.getenv('COCO_MASTER_KEY'), len(os.environ)]");
        assertThat(result.get(0).isNull()).isTrue();
        assertThat(result.get(1).isNull()).isTrue();
        assertThat(result.get(2).isNull()).isTrue();
        assertThat(result.get(3).asInt()).isZero();
    }

    @Test
    void aChangedVariableIsSeenOnTheNextCallWithoutRedeploying() {
        owner.put(variables + "/GREETING", Map.of("value", "hello")).expect(201);
        String id = functions.deploy("import os\ndef main():\n    return os.environ.get('GREETING')\n");
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("hello");
        owner.put(variables + "/GREETING", Map.of("value", "bonjour")).expect(200);
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("bonjour");
        owner.delete(variables + "/GREETING").expect(204);
        assertThat(functions.get(id, "").expect(200).json().get("result").isNull()).isTrue();
    }

    @Test
    void callsReadVariablesFromMemoryNotFromTheDatabase() {
        owner.put(variables + "/A", Map.of("value", "1")).expect(201);
        UUID project = UUID.fromString(functions.projectId());
        VariableService.Snapshot first = variableService.snapshot(project);
        functions.runMain("import os\nreturn os.environ['A']");
        functions.runMain("import os\nreturn os.environ['A']");
        // The same object: served from the node's cache, no query in between.
        assertThat(variableService.snapshot(project)).isSameAs(first);
        owner.put(variables + "/A", Map.of("value", "2")).expect(200);
        VariableService.Snapshot changed = variableService.snapshot(project);
        assertThat(changed.version()).isNotEqualTo(first.version());
        assertThat(changed.values()).containsEntry("A", "2");
    }

    @Test
    void aFunctionsChangesToOsEnvironDoNotReachTheProjectsVariables() {
        owner.put(variables + "/MODE", Map.of("value", "prod")).expect(201);
        functions.runMain("import os\nos.environ['MODE'] = 'hacked'\nreturn True");
        assertThat(owner.get(variables).expect(200).json().get(0).get("value").asString()).isEqualTo("prod");
    }

    private AdminApi member(String role) {
        AdminApi account = AdminApi.newAccount(port);
        owner.addMember(functions.projectId(), account, role);
        return account;
    }
}
