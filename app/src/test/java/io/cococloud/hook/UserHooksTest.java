package io.cococloud.hook;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.IntegrationTest;

/** After-hooks on app users (docs/hooks.md; issue 16 §2): users.create|login|update|delete. */
@IntegrationTest
class UserHooksTest {

    static final String USER_RECORDER = """
            def main():
                e = request.json()
                db.create_document('hook_log', {'event_type': e['event_type'], 'user_id': e['user_id'],
                    'data': e['data'], 'old_data': e['old_data']})
            """;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    HookProject project;

    @BeforeEach
    void project() {
        project = new HookProject(port, jdbc);
    }

    @Test
    void aUsersHookReceivesSignUpLoginUpdateAndDeleteInOrder() {
        String recorder = project.functions.deploy(USER_RECORDER);
        project.hook(recorder, null, "after", List.of("users.create", "users.login", "users.update",
                "users.delete"));

        String email = "hooked-" + System.nanoTime() + "@example.test";
        JsonNode signedUp = project.client("POST", "/auth-collections/signup", Map.of("email", email,
                "password", "password-1", "data", Map.of("name", "Ann"))).expect(201).json();
        String userId = signedUp.get("user").get("id").asString();
        String token = project.client("POST", "/auth-collections/login", Map.of("email", email,
                "password", "password-1")).expect(200).json().get("access_token").asString();
        io.cococloud.support.AdminApi.anonymous(port).send("PATCH", "/auth-collections/user",
                Map.of("data", Map.of("name", "Bea")), Map.of("x-api-key", project.clientKey,
                        "Authorization", "Bearer " + token)).expect(200);
        project.owner().delete(API + "/projects/" + project.projectId + "/users/" + userId).expect(204);

        List<JsonNode> log = project.awaitLog(4);
        assertThat(log).extracting(e -> e.get("event_type").asString())
                .containsExactly("users.create", "users.login", "users.update", "users.delete");
        assertThat(log).allSatisfy(e -> assertThat(e.get("user_id").asString()).isEqualTo(userId));
        assertThat(log.get(0).get("data").get("email").asString()).isEqualTo(email);
        assertThat(log.get(2).get("data").get("data").get("name").asString()).isEqualTo("Bea");
        assertThat(log.get(2).get("old_data").get("data").get("name").asString()).isEqualTo("Ann");
        assertThat(log.get(0).get("data").has("password_hash")).isFalse();
    }

    @Test
    void aUsersHookIsNotBoundToACollection() {
        String recorder = project.functions.deploy(USER_RECORDER);

        project.owner().post(project.hooksPath(), Map.of("function_id", recorder, "collection", "posts",
                "events", List.of("users.create"))).expect(400);
    }
}
