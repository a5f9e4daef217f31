package io.cococloud.function;

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

/** request.user (docs/functions.md): set from an app user's token of the function's own project. */
@IntegrationTest
class RequestUserTest {

    @LocalServerPort
    int port;

    Functions functions;
    String token;
    String email;

    @BeforeEach
    void aProjectWithASignedUpUser() {
        functions = Functions.inNewProject(port);
        token = signUp(functions);
    }

    private String signUp(Functions in) {
        String key = in.owner().post(API + "/projects/" + in.projectId() + "/keys", Map.of("kind", "client"))
                .expect(201).json().get("key").asString();
        email = "app-" + UUID.randomUUID() + "@example.com";
        return AdminApi.anonymous(port).send("POST", "/auth-collections/signup", Map.of("email", email,
                "password", "app-user-password", "data", Map.of("name", "Ada")), Map.of("x-api-key", key))
                .expect(201).json().get("access_token").asString();
    }

    private AdminApi.Response callWithToken(String functionId, String bearer) {
        return functions.call("GET", "/functions/" + functionId + "/execute", null,
                bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer));
    }

    @Test
    void theUserOfTheTokenIsRequestUserWithAttributeAndItemAccess() {
        String id = functions.deploy("""
                def main():
                    user = request.user
                    if not user:
                        return {"error": "Authentication required"}, 401
                    return {"id": user.id, "email": user['email'], "name": user.data.get('name'),
                            "roles": user.roles, "admin": user.is_admin}
                """);
        JsonNode result = callWithToken(id, token).expect(200).json().get("result");
        assertThat(result.get("email").asString()).isEqualTo(email);
        assertThat(result.get("name").asString()).isEqualTo("Ada");
        assertThat(result.get("admin").asBoolean()).isFalse();
        callWithToken(id, null).expect(401);
        callWithToken(id, "coco_at_not-a-token").expect(401);
    }

    @Test
    void returningTheUserGivesItsPublicDictWithoutSecrets() {
        String id = functions.deploy("def main():\n    return {'user': request.user}\n");
        AdminApi.Response response = callWithToken(id, token).expect(200);
        JsonNode user = response.json().get("result").get("user");
        assertThat(user.get("email").asString()).isEqualTo(email);
        assertThat(response.body()).doesNotContain("password").doesNotContain("hash").doesNotContain(token);
    }

    @Test
    void requireAuthLetsAValidTokenThrough() {
        String id = functions.deploy("def main():\n    return request.user.email\n", Map.of("require_auth", true));
        assertThat(callWithToken(id, token).expect(200).json().get("result").asString()).isEqualTo(email);
        callWithToken(id, null).expect(401);
    }

    @Test
    void aTokenOfAnotherProjectIsNoUserHere() {
        String tokenOfB = signUp(Functions.inNewProject(port));
        String id = functions.deploy("def main():\n    return request.user is None\n");
        assertThat(callWithToken(id, tokenOfB).expect(200).json().get("result").asBoolean()).isTrue();
        String guarded = functions.deploy("def main():\n    return 'in'\n", Map.of("require_auth", true));
        callWithToken(guarded, tokenOfB).expect(401);
    }
}
