package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;
import io.cococloud.token.OpaqueTokens;

/** Which project a call reaches, and what the database keeps of passwords and tokens. */
@IntegrationTest
class AppUserAccessTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    AppUserService service;

    @Autowired
    AppUserSessions sessions;

    @Test
    void aMissingApiKeyIs401() {
        AppUsers app = AppUsers.newProject(port);
        AdminApi.Response response = app.raw("POST", "/signup", Map.of("email", AppUsers.email(), "password",
                "password-1"), Map.of()).expect(401);
        assertThat(response.json().get("detail").asString()).contains("x-api-key");
    }

    @Test
    void anUnknownApiKeyIs401() {
        AppUsers app = AppUsers.newProject(port);
        String forged = app.key.substring(0, app.key.length() - 4) + "AAAA";
        app.raw("POST", "/signup", Map.of("email", AppUsers.email(), "password", "password-1"),
                Map.of("x-api-key", forged)).expect(401);
        app.raw("POST", "/login", Map.of("email", AppUsers.email(), "password", "password-1"),
                Map.of("x-api-key", "not-a-key")).expect(401);
    }

    @Test
    void aTokenOfProjectBIsRefusedWithTheKeyOfProjectA() {
        AppUsers a = AppUsers.newProject(port);
        AppUsers b = AppUsers.newProject(port);
        String email = AppUsers.email();
        String tokenOfB = b.signUp(email, "password-1");
        b.callAs("GET", "/user", null, tokenOfB).expect(200);
        a.callAs("GET", "/user", null, tokenOfB).expect(401);
        a.callAs("POST", "/logout", null, tokenOfB).expect(401);
        b.callAs("GET", "/user", null, tokenOfB).expect(200);
        // the same email is a different user in another project
        a.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(401);
        a.signUp(email, "password-2");
        assertThat(service.findBySessionToken(UUID.fromString(a.projectId), tokenOfB)).isEmpty();
        assertThat(service.findBySessionToken(UUID.fromString(b.projectId), tokenOfB)).isPresent();
        assertThat(sessions.isValid(UUID.fromString(a.projectId), tokenOfB)).isFalse();
        assertThat(sessions.isValid(UUID.fromString(b.projectId), tokenOfB)).isTrue();
    }

    @Test
    void theDatabaseHoldsOnlyHashesOfPasswordsAndTokens() {
        AppUsers app = AppUsers.newProject(port);
        String email = AppUsers.email();
        String password = "clear-text-password";
        String token = app.signUp(email, password);
        UUID project = UUID.fromString(app.projectId);

        Map<String, Object> user = db.queryForMap("SELECT id, password_hash, data::text AS data FROM app_users"
                + " WHERE project_id = ? AND email = ?", project, email);
        String hash = (String) user.get("password_hash");
        assertThat(hash).startsWith("{bcrypt}").doesNotContain(password);
        assertThat((String) user.get("data")).doesNotContain(password);

        List<byte[]> stored = db.queryForList("SELECT token_hash FROM app_user_tokens WHERE project_id = ?"
                + " AND user_id = ? AND purpose = 'session'", byte[].class, project, user.get("id"));
        assertThat(stored).hasSize(1);
        assertThat(stored.getFirst()).isEqualTo(OpaqueTokens.hash(token));
        String rows = db.queryForList("SELECT t::text FROM app_user_tokens t WHERE project_id = ?", String.class,
                project).toString() + db.queryForList("SELECT u::text FROM app_users u WHERE project_id = ?",
                        String.class, project);
        assertThat(rows).doesNotContain(token).doesNotContain(token.substring(8)).doesNotContain(password)
                .doesNotContain(HexFormat.of().formatHex(token.getBytes()));
    }

    @Test
    void findBySessionTokenGivesThePublicViewOfTheUser() {
        AppUsers app = AppUsers.newProject(port);
        String email = AppUsers.email();
        String token = app.signUp(email, "password-1");
        AppUser user = service.findBySessionToken(UUID.fromString(app.projectId), token).orElseThrow();
        assertThat(user.email()).isEqualTo(email);
        assertThat(user.publicView()).containsOnlyKeys("id", "email", "data", "roles", "created_at",
                "email_verified", "email_verified_at");
        assertThat(service.findBySessionToken(UUID.fromString(app.projectId), "coco_at_nope")).isEmpty();
    }

    @Test
    void aDisabledUserHasNoSessionAndCannotLogIn() {
        AppUsers app = AppUsers.newProject(port);
        String email = AppUsers.email();
        String token = app.signUp(email, "password-1");
        db.update("UPDATE app_users SET disabled = true WHERE project_id = ? AND email = ?",
                UUID.fromString(app.projectId), email);
        app.callAs("GET", "/user", null, token).expect(401);
        app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(401);
    }
}
