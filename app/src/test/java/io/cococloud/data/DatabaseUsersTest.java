package io.cococloud.data;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** The app-user methods of db, and the seed examples that authenticate with them. */
@IntegrationTest
class DatabaseUsersTest {

    @LocalServerPort
    int port;

    Functions functions;
    String key;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        key = functions.owner().post(API + "/projects/" + functions.projectId() + "/keys", Map.of("kind", "client"))
                .expect(201).json().get("key").asString();
    }

    private JsonNode signUp(String email) {
        return AdminApi.anonymous(port).send("POST", "/auth-collections/signup", Map.of("email", email,
                "password", "app-user-password", "data", Map.of("name", "Ada", "avatar", "a.png")),
                Map.of("x-api-key", key)).expect(201).json();
    }

    private JsonNode run(String body) {
        return functions.runMain(body);
    }

    @Test
    void usersAreCreatedFoundUpdatedAndQueriedByRole() {
        JsonNode created = run("u = db.create_app_user('grace@example.com', 'a-password-1', {'plan': 'pro'}, ['premium'])\n"
                + "return {'id': u.id, 'email': u['email'], 'roles': u.roles}");
        String id = created.get("id").asString();
        assertThat(run("return db.get_app_user('" + id + "').data['plan']").asString()).isEqualTo("pro");
        assertThat(run("return db.find_user(email='GRACE@example.com').id").asString()).isEqualTo(id);
        assertThat(run("return db.find_user(id='nobody')").isNull()).isTrue();
        JsonNode updated = run("u = db.update_app_user('" + id + "', data={'team': 'x'}, roles=['premium', 'admin'])\n"
                + "return {'plan': u.data['plan'], 'team': u.data['team'], 'admin': u.is_admin}");
        assertThat(updated.get("plan").asString()).isEqualTo("pro");
        assertThat(updated.get("admin").asBoolean()).isTrue();
        JsonNode premium = run("return [u.email for u in db.query_users(role='premium', limit=50)['data']]");
        assertThat(premium.valueStream().map(JsonNode::asString).toList()).containsExactly("grace@example.com");
        assertThat(run("return len(db.query_users(plan='pro')['data'])").asInt()).isEqualTo(1);
    }

    @Test
    void returnedUsersNeverCarryAPasswordHash() {
        AdminApi.Response response = functions.get(functions.deploy("def main():\n"
                + "    return db.create_app_user('h@example.com', 'a-password-1')\n"), "").expect(200);
        assertThat(response.body()).doesNotContain("password").doesNotContain("$2a$").contains("h@example.com");
    }

    @Test
    void badUserInputRaisesValueError() {
        String duplicate = functions.deploy("def main():\n    db.create_app_user('d@example.com', 'a-password-1')\n"
                + "    db.create_app_user('d@example.com', 'a-password-1')\n");
        assertThat(functions.get(duplicate, "").expect(500).json().get("error").asString())
                .startsWith("ValueError: ").contains("already exists");
        String weak = functions.deploy("def main():\n    db.create_app_user('w@example.com', 'short')\n");
        assertThat(functions.get(weak, "").expect(500).json().get("error").asString()).contains("password");
        String ambiguous = functions.deploy("def main():\n    db.find_user(id='a', email='b')\n");
        assertThat(functions.get(ambiguous, "").expect(500).json().get("error").asString()).contains("exactly one");
    }

    @Test
    void theQueryParameterAuthExampleRunsVerbatim() {
        String token = signUp("q@example.com").get("access_token").asString();
        String id = functions.deploy("""
                def main():
                    token = request.query_params.get('token')
                    if not token:
                        return {"error": "Token required"}, 401
                    # Validate token
                    user = db.find_user(auth_token=token)
                    if not user:
                        return {"error": "Invalid token"}, 401
                    return {"user": user}
                """);
        JsonNode user = functions.get(id, "token=" + token + "&name=John").expect(200).json().get("result")
                .get("user");
        assertThat(user.get("email").asString()).isEqualTo("q@example.com");
        functions.get(id, "token=coco_at_wrong").expect(401);
        functions.get(id, "").expect(401);
    }

    @Test
    void theApiEndpointWithAuthExampleUpdatesTheProfileVerbatim() {
        String token = signUp("e2-" + UUID.randomUUID() + "@example.com").get("access_token").asString();
        String id = functions.deploy("""
                def main():
                    # Check authentication
                    token = request.headers.get('authorization', '').replace('Bearer ', '')
                    if not token:
                        return {"error": "Authorization required"}, 401
                    # Validate token
                    user = db.find_user(auth_token=token)
                    if not user:
                        return {"error": "Invalid token"}, 401
                    # Get action from payload
                    action = request.get('action')
                    if action == 'get_profile':
                        return {
                            "user": {
                                "id": user.id,
                                "email": user.email,
                                "name": user.data.get('name'),
                                "avatar": user.data.get('avatar')
                            }
                        }
                    elif action == 'update_profile':
                        updates = request.get('updates', {})
                        # Update user data
                        user_data = user.data or {}
                        user_data.update(updates)
                        db.update_app_user(user.id, data=user_data)
                        return {"success": True, "message": "Profile updated"}
                    else:
                        return {"error": "Unknown action"}, 400
                """);
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
        JsonNode profile = functions.call("POST", "/functions/" + id + "/execute", Map.of("action", "get_profile"),
                auth).expect(200).json().get("result").get("user");
        assertThat(profile.get("name").asString()).isEqualTo("Ada");
        assertThat(profile.get("avatar").asString()).isEqualTo("a.png");
        functions.call("POST", "/functions/" + id + "/execute", Map.of("action", "update_profile", "updates",
                Map.of("name", "Ada L")), auth).expect(200);
        JsonNode after = functions.call("POST", "/functions/" + id + "/execute", Map.of("action", "get_profile"),
                auth).expect(200).json().get("result").get("user");
        assertThat(after.get("name").asString()).isEqualTo("Ada L");
        assertThat(after.get("avatar").asString()).isEqualTo("a.png");
        functions.call("POST", "/functions/" + id + "/execute", Map.of("action", "dance"), auth).expect(400);
    }

    @Test
    void aFunctionOfAnotherProjectCannotFindTheseUsers() {
        String token = signUp("t@example.com").get("access_token").asString();
        Functions other = Functions.inNewProject(port);
        String id = other.deploy("def main():\n    return [db.find_user(auth_token=request.get('t')),"
                + " db.find_user(email='t@example.com'), len(db.query_users(limit=100)['data'])]\n");
        JsonNode result = other.get(id, "t=" + token).expect(200).json().get("result");
        assertThat(result.get(0).isNull()).isTrue();
        assertThat(result.get(1).isNull()).isTrue();
        assertThat(result.get(2).asInt()).isZero();
    }
}
