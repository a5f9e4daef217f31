package io.cococloud.project;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;
import io.cococloud.token.OpaqueTokens;

/** API keys, access tokens and passwords never reach the database in clear: a test reads the tables. */
@IntegrationTest
class CredentialsAtRestTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Test
    void apiKeysAreStoredOnlyAsHashes() {
        AdminApi owner = AdminApi.newAccount(port);
        String project = owner.createProject();
        String key = owner.post(API + "/projects/" + project + "/keys", Map.of("kind", "server")).expect(201)
                .json().get("key").asString();

        assertThat(tableText("api_keys")).doesNotContain(key);
        byte[] stored = db.queryForObject("SELECT key_hash FROM api_keys WHERE project_id = ?::uuid",
                byte[].class, project);
        assertThat(stored).isEqualTo(OpaqueTokens.hash(key));
    }

    @Test
    void personalAccessTokensAreStoredOnlyAsHashes() {
        AdminApi script = AdminApi.newAccount(port);
        String token = script.bearerToken();
        assertThat(tableText("admin_tokens")).doesNotContain(token);
        Integer rows = db.queryForObject("SELECT count(*) FROM admin_tokens WHERE token_hash = ?", Integer.class,
                (Object) OpaqueTokens.hash(token));
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void passwordsAreStoredAsBcryptHashes() {
        assertThat(tableText("admin_accounts")).doesNotContain(AdminApi.ROOT_PASSWORD);
        String hash = db.queryForObject("SELECT password_hash FROM admin_accounts WHERE email = ?", String.class,
                AdminApi.ROOT_EMAIL);
        assertThat(hash).startsWith("{bcrypt}$2");
    }

    @Test
    void theKeyListShowsPrefixesOnly() {
        AdminApi owner = AdminApi.newAccount(port);
        String project = owner.createProject();
        String key = owner.post(API + "/projects/" + project + "/keys", Map.of("kind", "client")).expect(201)
                .json().get("key").asString();
        AdminApi.Response list = owner.get(API + "/projects/" + project + "/keys").expect(200);
        assertThat(list.body()).doesNotContain(key);
        assertThat(key).startsWith(list.json().get(0).get("prefix").asString().replace("…", ""));
    }

    /** Every column of every row, as text (bytea as hex), to search for a secret in clear. */
    private String tableText(String table) {
        List<Map<String, Object>> rows = db.queryForList("SELECT * FROM " + table);
        StringBuilder text = new StringBuilder();
        rows.forEach(row -> row.values().forEach(v -> text.append(
                v instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) + " " + new String(bytes) : v).append('|')));
        return text.toString();
    }
}
