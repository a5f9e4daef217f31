package io.cococloud.secret;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * The startup check and key rotation, driven with other keys than the running server's: the check and
 * the rotation are built here around the shared database, so the shared server keeps running untouched.
 */
@IntegrationTest
class MasterKeyRotationTest {

    @LocalServerPort
    int port;

    @Autowired
    SecretRepository rows;

    @Autowired
    SecretCipher cipher;

    @Autowired
    MasterKeys serverKeys;

    @Autowired
    SecretProperties settings;

    @Autowired
    JdbcTemplate db;

    Functions functions;
    UUID project;

    @BeforeEach
    void aProjectWithASecret() {
        functions = Functions.inNewProject(port);
        project = UUID.fromString(functions.projectId());
        functions.owner().put(API + "/projects/" + project + "/secrets/db_password", Map.of("value", "current"))
                .expect(201);
    }

    @Test
    void theServersOwnKeysPassTheStartupCheck() {
        new MasterKeyCheck(rows, serverKeys).verify();
    }

    @Test
    void startupIsRefusedWithAKeyThatDoesNotMatchTheStoredSecretsNamingTheKeyIdNeeded() {
        MasterKeys wrong = new MasterKeys(MasterKey.parse(MasterKeyTest.randomKey(), "wrong"), List.of());
        assertThatThrownBy(() -> new MasterKeyCheck(rows, wrong).verify())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Refusing to start")
                .hasMessageContaining("key id " + serverKeys.current().id())
                .hasMessageContaining("holds only master key id " + wrong.current().id())
                .hasMessageContaining("COCO_MASTER_KEY")
                .hasMessageNotContaining(serverKeys.current().base64());
        // Nothing was changed: the server still reads its secret.
        assertThat(functions.runMain("return secrets.get('db_password')").asString()).isEqualTo("current");
    }

    @Test
    void rotationReencryptsRowsOfThePreviousKeyAndTheyStayReadableThroughout() {
        MasterKey old = MasterKey.parse(MasterKeyTest.randomKey(), "old");
        // Two secrets written by a server that had the old key (as before a rotation).
        rows.insert(project, "legacy_a", cipher.seal(old, project, "legacy_a", "value-a"), 500);
        rows.insert(project, "legacy_b", cipher.seal(old, project, "legacy_b", "value-b"), 500);
        try {
            MasterKeys rotating = new MasterKeys(serverKeys.current(), List.of(old));
            new MasterKeyCheck(rows, rotating).verify(); // the old key is configured as previous: starts
            SecretService duringRotation = new SecretService(rows, cipher, rotating, settings);
            assertThat(duringRotation.read(project, "legacy_a")).contains("value-a");
            assertThat(duringRotation.read(project, "db_password")).contains("current");

            KeyRotation.Result result = new KeyRotation(rows, cipher, rotating).run();

            assertThat(result.reencrypted()).isEqualTo(2);
            assertThat(result.unreadable()).isEmpty();
            assertThat(db.queryForList("SELECT DISTINCT key_id FROM secrets WHERE project_id = ?", String.class,
                    project)).containsExactly(serverKeys.current().id());
            // After the rotation the old key is no longer needed: the running server reads everything.
            new MasterKeyCheck(rows, serverKeys).verify();
            assertThat(functions.runMain("return [secrets.get('legacy_a'), secrets.get('legacy_b'),"
                    + " secrets.get('db_password')]").toString()).isEqualTo("[\"value-a\",\"value-b\",\"current\"]");
            assertThat(new KeyRotation(rows, cipher, rotating).run().reencrypted()).isZero();
        } finally {
            db.update("DELETE FROM secrets WHERE project_id = ? AND key_id = ?", project, old.id());
        }
    }

    @Test
    void aRowThatDoesNotDecryptIsLeftAsItIsAndReported() {
        MasterKey old = MasterKey.parse(MasterKeyTest.randomKey(), "old");
        // Sealed for another name: it will not open as "moved".
        rows.insert(project, "moved", cipher.seal(old, project, "elsewhere", "value"), 500);
        try {
            KeyRotation.Result result = new KeyRotation(rows, cipher,
                    new MasterKeys(serverKeys.current(), List.of(old))).run();
            assertThat(result.unreadable()).containsExactly(project + "/moved");
            assertThat(db.queryForObject("SELECT key_id FROM secrets WHERE project_id = ? AND name = 'moved'",
                    String.class, project)).isEqualTo(old.id());
        } finally {
            db.update("DELETE FROM secrets WHERE project_id = ? AND key_id = ?", project, old.id());
        }
    }

    @Test
    void aSecretUnderAKeyTheServerLacksFailsItsReadClearlyInsteadOfGivingAWrongValue() {
        MasterKey unknown = MasterKey.parse(MasterKeyTest.randomKey(), "unknown");
        rows.insert(project, "orphan", cipher.seal(unknown, project, "orphan", "value"), 500);
        try {
            String error = functions.get(functions.deploy("def main():\n    return secrets.get('orphan')\n"), "")
                    .expect(500).json().get("error").asString();
            assertThat(error).isEqualTo("RuntimeError: secret 'orphan' cannot be read: it is encrypted with master"
                    + " key " + unknown.id() + ", which this server does not hold");
        } finally {
            db.update("DELETE FROM secrets WHERE project_id = ? AND key_id = ?", project, unknown.id());
        }
    }
}
