package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * Issue 9, "user harvest": by default a client reads only its own user; listing users and reading another's
 * record need a server key, unless the project's admins open them (PUT /projects/{p}/users/settings), and then
 * only the public fields show.
 */
@IntegrationTest
class AppUserReadSettingsTest {

    @LocalServerPort
    int port;

    UserAdmin admin;
    String settings;
    String otherEmail;
    String other;

    @BeforeEach
    void aProjectWithAUser() {
        admin = UserAdmin.newProject(port);
        settings = admin.users + "/settings";
        otherEmail = AppUsers.email();
        other = admin.createId(otherEmail, Map.of("data", Map.of("name", "Olga", "phone", "+49 30 1234")));
    }

    @Test
    void theDefaultKeepsUsersPrivate() {
        JsonNode defaults = admin.owner().get(settings).expect(200).json();
        assertThat(defaults.get("readable_by").asString()).isEqualTo("none");
        assertThat(defaults.get("public_fields").size()).isZero();
    }

    @Test
    void signingUpWithTheClientKeyDoesNotLetAnyoneListUsers() {
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        JsonNode problem = admin.app.callAs("GET", "/users", null, token).expect(403).json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:cococloud:problem:forbidden");
        assertThat(problem.get("detail").asString()).contains("keeps its app users private", "server key");
        assertThat(admin.app.call("GET", "/users", null).expect(403).json().get("detail").asString())
                .contains("server key");
    }

    @Test
    void anotherUsersRecordIsRefusedByDefaultWhetherOrNotItExists() {
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        admin.app.callAs("GET", "/users/" + other, null, token).expect(403);
        admin.app.callAs("GET", "/users/no-such-user", null, token).expect(403);
    }

    @Test
    void aSignedInUserReadsItsOwnRecord() {
        String email = AppUsers.email();
        JsonNode signedUp = admin.app.call("POST", "/signup", Map.of("email", email, "password", "password-1",
                "data", Map.of("phone", "+1 555"))).expect(201).json();
        String token = signedUp.get("access_token").asString();
        String id = signedUp.get("user").get("id").asString();
        JsonNode me = admin.app.callAs("GET", "/users/" + id, null, token).expect(200).json();
        assertThat(me).isEqualTo(admin.app.callAs("GET", "/user", null, token).expect(200).json());
        assertThat(me.get("email").asString()).isEqualTo(email);
        assertThat(me.get("data").get("phone").asString()).isEqualTo("+1 555");
    }

    @Test
    void aServerKeyStillListsFullRecords() {
        JsonNode page = admin.client("GET", "/users", null, admin.serverKey(), null).expect(200).json();
        assertThat(page.get("data").get(0).get("email").asString()).isEqualTo(otherEmail);
        assertThat(page.get("data").get(0).get("data").get("phone").asString()).isEqualTo("+49 30 1234");
    }

    @Test
    void openedToSignedInUsersTheListShowsOtherUsersPublicFieldsOnly() {
        open("signed_in", "name");
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        AdminApi.Response answer = admin.app.callAs("GET", "/users?id=" + other, null, token).expect(200);
        JsonNode user = answer.json().get("data").get(0);
        assertThat(user.propertyNames()).containsExactlyInAnyOrder("id", "data");
        assertThat(user.get("data").propertyNames()).containsExactly("name");
        assertThat(answer.body()).doesNotContain(otherEmail, "+49 30 1234");
        JsonNode one = admin.app.callAs("GET", "/users/" + other, null, token).expect(200).json();
        assertThat(one.get("data").get("name").asString()).isEqualTo("Olga");
        assertThat(one.has("email")).isFalse();
    }

    @Test
    void theEmailShowsOnlyWhenMarkedPublic() {
        open("signed_in", "name", "email", "roles");
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        JsonNode user = admin.app.callAs("GET", "/users/" + other, null, token).expect(200).json();
        assertThat(user.get("email").asString()).isEqualTo(otherEmail);
        assertThat(user.get("roles").isArray()).isTrue();
        assertThat(user.get("data").has("phone")).isFalse();
    }

    @Test
    void openedTheListStillShowsTheCallersOwnRecordInFull() {
        open("signed_in", "name");
        String email = AppUsers.email();
        String token = admin.app.signUp(email, "password-1");
        JsonNode page = admin.app.callAs("GET", "/users", null, token).expect(200).json();
        assertThat(emails(page)).containsExactly(email); // the other user's address is not public
        assertThat(page.get("total").asInt()).isEqualTo(2);
    }

    @Test
    void openedAClientMayNotFilterOrSortOnFieldsThatAreNotPublic() {
        open("signed_in", "name");
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        JsonNode problem = admin.app.callAs("GET", "/users?email=" + otherEmail, null, token).expect(403).json();
        assertThat(problem.get("detail").asString()).contains("'email'");
        admin.app.callAs("GET", "/users?phone_startswith=%2B49", null, token).expect(403);
        admin.app.callAs("GET", "/users?%5Bor%5Dname=Olga&%5Bor%5Dphone=1", null, token).expect(403);
        admin.app.callAs("GET", "/users?sort=-phone", null, token).expect(403);
        admin.app.callAs("GET", "/users?sort=email", null, token).expect(403);
        admin.app.callAs("GET", "/users?created_at_gte=2000-01-01", null, token).expect(403);
        admin.app.callAs("GET", "/users?name=Olga&sort=name", null, token).expect(200);
    }

    @Test
    void openedToSignedInUsersABareClientKeyMustSignIn() {
        open("signed_in", "name");
        JsonNode problem = admin.app.call("GET", "/users", null).expect(401).json();
        assertThat(problem.get("detail").asString()).contains("Sign in to list users");
        admin.app.callAs("GET", "/users", null, "coco_at_not-a-token").expect(401);
    }

    @Test
    void openedToAnyoneABareClientKeyListsPublicFields() {
        open("anyone", "name");
        JsonNode user = admin.app.call("GET", "/users", null).expect(200).json().get("data").get(0);
        assertThat(user.get("id").asString()).isEqualTo(other);
        assertThat(user.has("email")).isFalse();
    }

    @Test
    void closingTheUsersAgainTakesEffectOnTheNextRequest() {
        open("signed_in", "name");
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        admin.app.callAs("GET", "/users", null, token).expect(200);
        admin.owner().put(settings, Map.of()).expect(200);
        admin.app.callAs("GET", "/users", null, token).expect(403);
    }

    @Test
    void anotherProjectsSettingNeverApplies() {
        UserAdmin other = UserAdmin.newProject(port);
        other.owner().put(other.users + "/settings", Map.of("readable_by", "anyone", "public_fields",
                List.of("email"))).expect(200);
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        admin.app.callAs("GET", "/users", null, token).expect(403);
        // and the other project's owner cannot read or change this project's setting
        other.owner().get(settings).expect(404);
        other.owner().put(settings, Map.of("readable_by", "anyone")).expect(404);
        assertThat(admin.owner().get(settings).expect(200).json().get("readable_by").asString()).isEqualTo("none");
    }

    @Test
    void onlyAdminsChangeTheSettingAndViewersReadIt() {
        admin.member("developer").put(settings, Map.of("readable_by", "anyone")).expect(403);
        AdminApi viewer = admin.member("viewer");
        assertThat(viewer.get(settings).expect(200).json().get("readable_by").asString()).isEqualTo("none");
        JsonNode saved = admin.member("admin").put(settings, Map.of("readable_by", "signed_in", "public_fields",
                List.of("name"))).expect(200).json();
        assertThat(saved.get("readable_by").asString()).isEqualTo("signed_in");
        assertThat(viewer.get(settings).expect(200).json().get("public_fields").get(0).asString()).isEqualTo("name");
    }

    @Test
    void badSettingsAre400NamingTheField() {
        badSetting(Map.of("readable", true), "Unknown field 'readable'");
        badSetting(Map.of("readable_by", "everyone"), "readable_by must be one of none, signed_in, anyone");
        badSetting(Map.of("readable_by", true), "readable_by");
        badSetting(Map.of("public_fields", "name"), "public_fields must be a list");
        badSetting(Map.of("public_fields", List.of("address.city")), "public_fields: 'address.city'");
        badSetting(Map.of("public_fields", List.of(7)), "public_fields: 7");
        badSetting(Map.of("public_fields", List.of("name", "name")), "public_fields names name twice");
        badSetting(Map.of("public_fields", List.of("id")), "id is always shown");
        assertThat(admin.owner().get(settings).expect(200).json().get("readable_by").asString()).isEqualTo("none");
    }

    private void badSetting(Map<String, Object> body, String detail) {
        JsonNode problem = admin.owner().put(settings, body).expect(400).json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:cococloud:problem:validation");
        assertThat(problem.get("detail").asString()).contains(detail);
    }

    private void open(String readableBy, String... publicFields) {
        Map<String, Object> body = new HashMap<>();
        body.put("readable_by", readableBy);
        body.put("public_fields", List.of(publicFields));
        admin.owner().put(settings, body).expect(200);
    }

    private static List<String> emails(JsonNode page) {
        List<String> emails = new ArrayList<>();
        page.get("data").forEach(user -> {
            if (user.has("email")) {
                emails.add(user.get("email").asString());
            }
        });
        return emails;
    }
}
