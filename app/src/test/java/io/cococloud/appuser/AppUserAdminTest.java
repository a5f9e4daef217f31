package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** The admin API's /projects/{p}/users: create, read, change and delete app users, by role. */
@IntegrationTest
class AppUserAdminTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    UserAdmin admin;

    @BeforeEach
    void project() {
        admin = UserAdmin.newProject(port);
    }

    @Test
    void aCreatedUserShowsAccountStateAndNeverAHash() {
        String email = AppUsers.email();
        JsonNode user = admin.create(email, Map.of("data", Map.of("name", "Ada"), "roles", List.of("editor",
                " editor ")));
        assertThat(user.propertyNames()).containsExactlyInAnyOrder("id", "email", "data", "roles", "disabled",
                "email_verified", "email_verified_at", "created_at", "updated_at");
        assertThat(user.get("email").asString()).isEqualTo(email);
        assertThat(user.get("data").get("name").asString()).isEqualTo("Ada");
        assertThat(user.get("roles").toString()).isEqualTo("[\"editor\"]");
        assertThat(user.get("disabled").asBoolean()).isFalse();
        assertThat(user.get("email_verified").asBoolean()).isFalse();
        assertThat(user.toString()).doesNotContain("bcrypt").doesNotContain("password");
    }

    @Test
    void aCreatedUserCanLogInWithTheClientApi() {
        String email = AppUsers.email();
        admin.create(email, Map.of("password", "made-by-admin"));
        admin.app.call("POST", "/login", Map.of("email", email, "password", "made-by-admin")).expect(200);
    }

    @Test
    void getGivesTheUserAndAnUnknownIdIs404() {
        String id = admin.createId(AppUsers.email(), Map.of());
        assertThat(admin.owner().get(admin.users + "/" + id).expect(200).json().get("id").asString()).isEqualTo(id);
        JsonNode problem = admin.owner().get(admin.users + "/" + UUID.randomUUID()).expect(404).json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:cococloud:problem:not-found");
    }

    @Test
    void patchMergesDataAndReplacesRoles() {
        String id = admin.createId(AppUsers.email(), Map.of("data", Map.of("name", "Ada", "plan", "free"),
                "roles", List.of("a", "b")));
        JsonNode patched = admin.owner().patch(admin.users + "/" + id, Map.of("data", Map.of("plan", "pro"),
                "roles", List.of("c"))).expect(200).json();
        assertThat(patched.get("data").get("name").asString()).isEqualTo("Ada");
        assertThat(patched.get("data").get("plan").asString()).isEqualTo("pro");
        assertThat(patched.get("roles").toString()).isEqualTo("[\"c\"]");
    }

    @Test
    void patchChangesTheEmail() {
        String id = admin.createId(AppUsers.email(), Map.of());
        String newEmail = AppUsers.email();
        assertThat(admin.owner().patch(admin.users + "/" + id, Map.of("email", newEmail)).expect(200).json()
                .get("email").asString()).isEqualTo(newEmail);
        admin.app.call("POST", "/login", Map.of("email", newEmail, "password", "password-1")).expect(200);
    }

    @Test
    void aPasswordSetByAnAdminEndsEverySessionOfTheUser() {
        String email = AppUsers.email();
        String token = admin.app.signUp(email, "password-1");
        String other = admin.app.call("POST", "/login", Map.of("email", email, "password", "password-1"))
                .expect(200).json().get("access_token").asString();
        String id = admin.app.callAs("GET", "/user", null, token).expect(200).json().get("id").asString();
        admin.owner().patch(admin.users + "/" + id, Map.of("password", "reset-by-admin")).expect(200);
        admin.app.callAs("GET", "/user", null, token).expect(401);
        admin.app.callAs("GET", "/user", null, other).expect(401);
        admin.app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(401);
        admin.app.call("POST", "/login", Map.of("email", email, "password", "reset-by-admin")).expect(200);
        assertThat(db.queryForObject("SELECT token_generation FROM app_users WHERE project_id = ? AND id = ?",
                Integer.class, UUID.fromString(admin.app.projectId), id)).isEqualTo(1);
    }

    @Test
    void disablingAUserEndsTheirSessionsAndLogins() {
        String email = AppUsers.email();
        String token = admin.app.signUp(email, "password-1");
        String id = admin.app.callAs("GET", "/user", null, token).expect(200).json().get("id").asString();
        JsonNode disabled = admin.owner().patch(admin.users + "/" + id, Map.of("disabled", true)).expect(200).json();
        assertThat(disabled.get("disabled").asBoolean()).isTrue();
        admin.app.callAs("GET", "/user", null, token).expect(401);
        admin.app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(401);
        assertThat(db.queryForObject("SELECT count(*) FROM app_user_tokens WHERE project_id = ? AND user_id = ?",
                Integer.class, UUID.fromString(admin.app.projectId), id)).isZero();
    }

    @Test
    void enablingAUserAgainLetsThemLogInButNotRevivesOldSessions() {
        String email = AppUsers.email();
        String token = admin.app.signUp(email, "password-1");
        String id = admin.app.callAs("GET", "/user", null, token).expect(200).json().get("id").asString();
        admin.owner().patch(admin.users + "/" + id, Map.of("disabled", true)).expect(200);
        admin.owner().patch(admin.users + "/" + id, Map.of("disabled", false)).expect(200);
        admin.app.callAs("GET", "/user", null, token).expect(401);
        admin.app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(200);
    }

    @Test
    void deleteIs204AndTheUserAndTheirSessionsAreGone() {
        String email = AppUsers.email();
        String token = admin.app.signUp(email, "password-1");
        String id = admin.app.callAs("GET", "/user", null, token).expect(200).json().get("id").asString();
        admin.owner().delete(admin.users + "/" + id).expect(204);
        admin.owner().get(admin.users + "/" + id).expect(404);
        admin.owner().delete(admin.users + "/" + id).expect(404);
        admin.app.callAs("GET", "/user", null, token).expect(401);
    }

    @Test
    void aDuplicateEmailIs409() {
        String email = AppUsers.email();
        admin.create(email, Map.of());
        JsonNode problem = admin.owner().post(admin.users, Map.of("email", email.toUpperCase(), "password",
                "password-1")).expect(409).json();
        assertThat(problem.get("detail").asString()).contains("already exists");
    }

    @Test
    void aViewerReadsUsersButCannotWrite() {
        String id = admin.createId(AppUsers.email(), Map.of());
        AdminApi viewer = admin.member("viewer");
        viewer.get(admin.users).expect(200);
        viewer.get(admin.users + "/" + id).expect(200);
        viewer.post(admin.users, Map.of("email", AppUsers.email(), "password", "password-1")).expect(403);
        viewer.patch(admin.users + "/" + id, Map.of("data", Map.of("x", 1))).expect(403);
        viewer.delete(admin.users + "/" + id).expect(403);
    }

    @Test
    void aDeveloperWritesUsers() {
        AdminApi developer = admin.member("developer");
        String id = developer.post(admin.users, Map.of("email", AppUsers.email(), "password", "password-1"))
                .expect(201).json().get("id").asString();
        developer.patch(admin.users + "/" + id, Map.of("roles", List.of("x"))).expect(200);
        developer.delete(admin.users + "/" + id).expect(204);
    }

    @Test
    void aNonMemberGets404ForEveryUsersUrl() {
        String id = admin.createId(AppUsers.email(), Map.of());
        AdminApi stranger = AdminApi.newAccount(port);
        stranger.get(admin.users).expect(404);
        stranger.get(admin.users + "/" + id).expect(404);
        stranger.post(admin.users, Map.of("email", AppUsers.email(), "password", "password-1")).expect(404);
        stranger.patch(admin.users + "/" + id, Map.of("disabled", true)).expect(404);
        stranger.delete(admin.users + "/" + id).expect(404);
        admin.owner().get(admin.users + "/" + id).expect(200);
    }

    @Test
    void anAnonymousCallerIs401() {
        AdminApi.anonymous(port).get(admin.users).expect(401);
    }
}
