package io.cococloud.secret;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** secrets.get / secrets.exists in functions (docs/functions.md), and where a value must never show up. */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class SecretsInFunctionsTest {

    static final String PASSWORD = "pw-" + "Qz8!k2@Lm9#x";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    Functions functions;
    String secrets;

    @BeforeEach
    void aProjectWithASecret() {
        functions = Functions.inNewProject(port);
        secrets = API + "/projects/" + functions.projectId() + "/secrets";
        functions.owner().put(secrets + "/my_password", Map.of("value", PASSWORD)).expect(201);
    }

    @Test
    void aFunctionReadsItsProjectsSecretAndGetsEmptyTextForAMissingOne() {
        JsonNode result = functions.runMain("""
                return {"value": secrets.get("my_password"), "missing": secrets.get("no_such_secret"),
                        "odd_name": secrets.get("not-a-name")}""");
        assertThat(result.get("value").asString()).isEqualTo(PASSWORD);
        assertThat(result.get("missing").asString()).isEmpty();
        assertThat(result.get("odd_name").asString()).isEmpty();
    }

    @Test
    void existsTellsWhetherTheSecretIsSet() {
        JsonNode result = functions.runMain("return [secrets.exists('my_password'), secrets.exists('nope')]");
        assertThat(result.get(0).asBoolean()).isTrue();
        assertThat(result.get(1).asBoolean()).isFalse();
    }

    @Test
    void theStandardLibrarysSecretsFunctionsStillWork() {
        JsonNode result = functions.runMain("""
                otp = ''.join(str(secrets.randbelow(10)) for _ in range(6))
                return [len(otp), len(secrets.token_hex(8)), secrets.compare_digest('a', 'a'),
                        secrets.choice('xy') in 'xy', len(secrets.token_urlsafe(32)) > 0]""");
        assertThat(result.valueStream().map(JsonNode::asString).toList())
                .containsExactly("6", "16", "true", "true", "true");
    }

    @Test
    void functionSecretsCanBeImportedAsAModule() {
        String id = functions.deploy("""
                import function.secrets as s
                from function import secrets as same
                def main():
                    return [s.get('my_password') == %s, s is same, s is secrets]
                """.formatted("'" + PASSWORD + "'"));
        JsonNode result = functions.get(id, "").expect(200).json().get("result");
        assertThat(result.valueStream().map(JsonNode::asBoolean).toList()).containsExactly(true, true, true);
    }

    @Test
    void aChangedSecretIsReadOnTheNextCall() {
        String id = functions.deploy("def main():\n    return secrets.get('my_password')\n");
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo(PASSWORD);
        functions.owner().put(secrets + "/my_password", Map.of("value", "rotated")).expect(200);
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("rotated");
        functions.owner().delete(secrets + "/my_password").expect(204);
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEmpty();
    }

    @Test
    void aFunctionNeverSeesAnotherProjectsSecret() {
        Functions other = Functions.inNewProject(port);
        other.owner().put(API + "/projects/" + other.projectId() + "/secrets/my_password",
                Map.of("value", "the-other-project")).expect(201);
        other.owner().put(API + "/projects/" + other.projectId() + "/secrets/only_there",
                Map.of("value", "x")).expect(201);
        JsonNode result = functions.runMain(
                "return [secrets.get('my_password'), secrets.exists('only_there'), secrets.get('only_there')]");
        assertThat(result.get(0).asString()).isEqualTo(PASSWORD);
        assertThat(result.get(1).asBoolean()).isFalse();
        assertThat(result.get(2).asString()).isEmpty();
    }

    @Test
    void theValueIsNeverLoggedNorKeptInTheExecutionRecord(CapturedOutput logs) {
        String id = functions.deploy("def main():\n    token = secrets.get('my_password')\n"
                + "    return {'length': len(token)}\n");
        functions.owner().put(secrets + "/my_password", Map.of("value", PASSWORD)).expect(200);
        functions.owner().get(secrets).expect(200);
        AdminApi.Response call = functions.get(id, "").expect(200);
        assertThat(call.body()).doesNotContain(PASSWORD);
        AdminApi.Response test = functions.owner().post(functions.functionsPath() + "/" + id + "/test", Map.of())
                .expect(200);
        assertThat(test.body()).doesNotContain(PASSWORD);

        String executions = functions.functionsPath() + "/" + id + "/executions";
        JsonNode records = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> functions.owner().get(executions).expect(200).json(), list -> list.size() == 2);
        assertThat(records.toString()).doesNotContain(PASSWORD);
        for (JsonNode record : records) {
            assertThat(functions.owner().get(executions + "/" + record.get("id").asString()).expect(200).body())
                    .doesNotContain(PASSWORD);
        }
        assertThat(rowsAsText("SELECT * FROM executions WHERE function_id = ?::uuid", id)).doesNotContain(PASSWORD);
        assertThat(logs.getAll()).doesNotContain(PASSWORD);
    }

    @Test
    void aRowMovedToAnotherProjectDoesNotDecryptThere(CapturedOutput logs) {
        Functions thief = Functions.inNewProject(port);
        thief.owner().put(API + "/projects/" + thief.projectId() + "/secrets/stolen", Map.of("value", "decoy"))
                .expect(201);
        db.update("""
                UPDATE secrets SET (nonce, ciphertext, key_id) =
                    (SELECT nonce, ciphertext, key_id FROM secrets WHERE project_id = ?::uuid AND name = 'my_password')
                WHERE project_id = ?::uuid AND name = 'stolen'""", functions.projectId(), thief.projectId());

        String id = thief.deploy("def main():\n    return secrets.get('stolen')\n");
        AdminApi.Response refused = thief.get(id, "").expect(500);
        assertThat(refused.body()).doesNotContain(PASSWORD);
        assertThat(refused.json().get("error").asString())
                .isEqualTo("RuntimeError: secret 'stolen' cannot be read: its stored value was altered or was not"
                        + " written for this project and name");
        // The function can catch it, and exists() still answers without decrypting.
        assertThat(thief.runMain("""
                try:
                    return secrets.get('stolen')
                except RuntimeError:
                    return ['refused', secrets.exists('stolen')]""").toString()).isEqualTo("[\"refused\",true]");
        assertThat(logs.getAll()).doesNotContain(PASSWORD);
    }

    @Test
    void aRowRenamedWithinTheProjectDoesNotDecryptUnderItsNewName() {
        functions.owner().put(secrets + "/public_hint", Map.of("value", "harmless")).expect(201);
        db.update("""
                UPDATE secrets SET (nonce, ciphertext) =
                    (SELECT nonce, ciphertext FROM secrets WHERE project_id = ?::uuid AND name = 'my_password')
                WHERE project_id = ?::uuid AND name = 'public_hint'""", functions.projectId(), functions.projectId());
        String id = functions.deploy("def main():\n    return secrets.get('public_hint')\n");
        AdminApi.Response refused = functions.get(id, "").expect(500);
        assertThat(refused.body()).doesNotContain(PASSWORD).contains("cannot be read");
        // The untouched original still reads.
        assertThat(functions.runMain("return secrets.get('my_password')").asString()).isEqualTo(PASSWORD);
    }

    @Test
    void theTableHoldsOnlyCiphertext() {
        String stored = rowsAsText("SELECT * FROM secrets WHERE project_id = ?::uuid", functions.projectId());
        assertThat(stored).contains("my_password").doesNotContain(PASSWORD)
                .doesNotContain(HexFormat.of().formatHex(PASSWORD.getBytes()));
        Map<String, Object> row = db.queryForMap("SELECT nonce, ciphertext FROM secrets WHERE project_id = ?::uuid",
                java.util.UUID.fromString(functions.projectId()));
        assertThat((byte[]) row.get("nonce")).hasSize(12);
        assertThat((byte[]) row.get("ciphertext")).hasSize(PASSWORD.length() + 16); // the GCM tag
    }

    /** Every column of the rows, as text (bytea as hex and as bytes read as text), to search for a value. */
    private String rowsAsText(String sql, String projectOrFunction) {
        List<Map<String, Object>> rows = db.queryForList(sql, projectOrFunction);
        StringBuilder text = new StringBuilder();
        rows.forEach(row -> row.values().forEach(v -> text.append(v instanceof byte[] bytes
                ? HexFormat.of().formatHex(bytes) + " " + new String(bytes) : v).append('|')));
        return text.toString();
    }
}
