package io.cococloud.secret;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** /secrets in the admin API: values go in and never come out; admins write, every member sees names. */
@IntegrationTest
class SecretAdminTest {

    static final String VALUE = "s3cr3t-value-" + "7f3a9c";

    @LocalServerPort
    int port;

    @Autowired
    SecretRepository rows;

    @Autowired
    SecretCipher cipher;

    @Autowired
    MasterKeys keys;

    AdminApi owner;
    String project;
    String secrets;

    @BeforeEach
    void aProject() {
        owner = AdminApi.newAccount(port);
        project = owner.createProject();
        secrets = API + "/projects/" + project + "/secrets";
    }

    @Test
    void aPutCreatesWith201ThenReplacesWith200AndNeitherAnswerHoldsTheValue() {
        AdminApi.Response created = owner.put(secrets + "/my_password", Map.of("value", VALUE)).expect(201);
        assertThat(created.body()).doesNotContain(VALUE);
        assertThat(created.json().get("name").asString()).isEqualTo("my_password");
        assertThat(created.json().get("set").asBoolean()).isTrue();
        assertThat(created.json().propertyNames()).containsExactlyInAnyOrder("name", "set", "created_at",
                "updated_at");

        AdminApi.Response replaced = owner.put(secrets + "/my_password", Map.of("value", VALUE + "-2")).expect(200);
        assertThat(replaced.body()).doesNotContain(VALUE);
    }

    @Test
    void theListNamesSecretsWithoutValuesInNameOrder() {
        owner.put(secrets + "/Z_TOKEN", Map.of("value", VALUE)).expect(201);
        owner.put(secrets + "/a_key", Map.of("value", VALUE)).expect(201);
        AdminApi.Response list = owner.get(secrets).expect(200);
        assertThat(list.body()).doesNotContain(VALUE);
        assertThat(list.json().valueStream().map(s -> s.get("name").asString())).containsExactly("Z_TOKEN", "a_key");
        JsonNode first = list.json().get(0);
        assertThat(first.get("set").asBoolean()).isTrue();
        assertThat(first.has("value")).isFalse();
        assertThat(first.get("created_at").asString()).isNotBlank();
    }

    @Test
    void deletingIs204AndThenTheSecretIsGone() {
        owner.put(secrets + "/old", Map.of("value", VALUE)).expect(201);
        owner.delete(secrets + "/old").expect(204);
        assertThat(owner.get(secrets).expect(200).json().size()).isZero();
        owner.delete(secrets + "/old").expect(404);
    }

    @Test
    void badNamesAre400() {
        for (String name : new String[] {"1abc", "has-dash", "dotted.name", "a".repeat(129), "caf%C3%A9"}) {
            AdminApi.Response refused = owner.put(secrets + "/" + name, Map.of("value", VALUE)).expect(400);
            assertThat(refused.json().get("detail").asString()).contains("name");
        }
        owner.put(secrets + "/" + "a".repeat(128), Map.of("value", VALUE)).expect(201);
        owner.delete(secrets + "/bad-name").expect(400);
    }

    @Test
    void badValuesAre400AndTheAnswerNeverRepeatsThem() {
        owner.put(secrets + "/k", Map.of()).expect(400);
        owner.put(secrets + "/k", Map.of("value", 5)).expect(400);
        owner.put(secrets + "/k", Map.of("value", "")).expect(400);
        owner.put(secrets + "/k", Map.of("value", "a\0b")).expect(400);
        owner.put(secrets + "/k", Map.of("value", VALUE, "extra", 1)).expect(400);
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("value", null);
        owner.put(secrets + "/k", nullValue).expect(400);
        String big = VALUE + "x".repeat(64 * 1024);
        AdminApi.Response tooBig = owner.put(secrets + "/k", Map.of("value", big)).expect(400);
        assertThat(tooBig.json().get("detail").asString()).contains("65536").doesNotContain(VALUE);
        owner.put(secrets + "/k", Map.of("value", "x".repeat(64 * 1024))).expect(201);
    }

    @Test
    void everyMemberListsNamesButOnlyAdminsAndOwnersSetOrDelete() {
        owner.put(secrets + "/shared", Map.of("value", VALUE)).expect(201);
        AdminApi viewer = member("viewer");
        AdminApi developer = member("developer");
        AdminApi admin = member("admin");

        assertThat(viewer.get(secrets).expect(200).body()).contains("shared").doesNotContain(VALUE);
        viewer.put(secrets + "/shared", Map.of("value", "x")).expect(403);
        AdminApi.Response refused = developer.put(secrets + "/shared", Map.of("value", "x")).expect(403);
        assertThat(refused.json().get("detail").asString()).contains("admin role");
        developer.delete(secrets + "/shared").expect(403);

        admin.put(secrets + "/by_admin", Map.of("value", VALUE)).expect(201);
        admin.delete(secrets + "/shared").expect(204);
    }

    @Test
    void anotherProjectsSecretsAreInvisibleThroughAnyUrl() {
        owner.put(secrets + "/mine", Map.of("value", VALUE)).expect(201);
        AdminApi stranger = AdminApi.newAccount(port);
        String theirs = API + "/projects/" + stranger.createProject() + "/secrets";
        stranger.put(theirs + "/theirs", Map.of("value", "other")).expect(201);

        stranger.get(secrets).expect(404);
        stranger.put(secrets + "/mine", Map.of("value", "overwritten")).expect(404);
        stranger.delete(secrets + "/mine").expect(404);
        owner.get(theirs).expect(404);
        assertThat(owner.get(secrets).expect(200).json().valueStream().map(s -> s.get("name").asString()))
                .containsExactly("mine");
    }

    @Test
    void theCountOfSecretsPerProjectIsCapped() {
        // The cap is 500 by default: store 499 directly (500 HTTP calls would be slow), then the 500th by HTTP.
        UUID projectId = UUID.fromString(project);
        for (int i = 1; i < 500; i++) {
            rows.insert(projectId, "s" + i, cipher.seal(keys.current(), projectId, "s" + i, "v"), 500);
        }
        owner.put(secrets + "/s0", Map.of("value", "v")).expect(201);
        AdminApi.Response refused = owner.put(secrets + "/one_more", Map.of("value", "v")).expect(409);
        assertThat(refused.json().get("detail").asString()).contains("500");
        owner.put(secrets + "/s0", Map.of("value", "replaced")).expect(200);
    }

    private AdminApi member(String role) {
        AdminApi account = AdminApi.newAccount(port);
        owner.addMember(project, account, role);
        return account;
    }
}
