package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.IntegrationTest;

/** Listing users: the admin API's GET /users and the client API's GET /auth-collections/users. */
@IntegrationTest
class AppUserListTest {

    @LocalServerPort
    int port;

    UserAdmin admin;

    @BeforeEach
    void project() {
        admin = UserAdmin.newProject(port);
    }

    @Test
    void theAdminListIsAPageWithTotalAndHasMore() {
        for (int i = 0; i < 3; i++) {
            admin.create(AppUsers.email(), Map.of());
        }
        JsonNode page = admin.owner().get(admin.users + "?limit=2&offset=0").expect(200).json();
        assertThat(page.propertyNames()).containsExactly("data", "total", "limit", "offset", "has_more");
        assertThat(page.get("data").size()).isEqualTo(2);
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode last = admin.owner().get(admin.users + "?limit=2&offset=2").expect(200).json();
        assertThat(last.get("data").size()).isEqualTo(1);
        assertThat(last.get("has_more").asBoolean()).isFalse();
        assertThat(admin.owner().get(admin.users).expect(200).json().get("limit").asInt()).isEqualTo(100);
    }

    @Test
    void theAdminListFiltersByEmailCaseInsensitively() {
        String email = AppUsers.email();
        admin.create(email, Map.of());
        admin.create(AppUsers.email(), Map.of());
        assertThat(ids(admin.owner().get(admin.users + "?email=" + email.toUpperCase()).expect(200).json()))
                .hasSize(1);
        assertThat(emails(admin.owner().get(admin.users + "?email_startswith=" + email.substring(0, 20))
                .expect(200).json())).containsExactly(email);
    }

    @Test
    void theAdminListFiltersByRole() {
        String editor = admin.createId(AppUsers.email(), Map.of("roles", List.of("editor", "x")));
        String other = admin.createId(AppUsers.email(), Map.of("roles", List.of("reader")));
        assertThat(ids(admin.owner().get(admin.users + "?role=editor").expect(200).json())).containsExactly(editor);
        assertThat(ids(admin.owner().get(admin.users + "?roles=reader").expect(200).json())).containsExactly(other);
        assertThat(ids(admin.owner().get(admin.users + "?roles_in=editor,reader").expect(200).json()))
                .containsExactlyInAnyOrder(editor, other);
    }

    @Test
    void theAdminListFiltersByDataFieldsWithOperators() {
        String old = admin.createId(AppUsers.email(), Map.of("data", Map.of("age", 40, "city", "Paris")));
        admin.createId(AppUsers.email(), Map.of("data", Map.of("age", 20, "city", "Paris")));
        admin.createId(AppUsers.email(), Map.of("data", Map.of("age", 50, "city", "Rome")));
        assertThat(ids(admin.owner().get(admin.users + "?city=Paris&age_gte=30").expect(200).json()))
                .containsExactly(old);
        assertThat(ids(admin.owner().get(admin.users + "?data.city=Paris&data.age__gt=30").expect(200).json()))
                .containsExactly(old);
    }

    @Test
    void theAdminListFiltersByCreatedAt() {
        admin.create(AppUsers.email(), Map.of());
        assertThat(ids(admin.owner().get(admin.users + "?created_at_gte=2000-01-01").expect(200).json())).hasSize(1);
        assertThat(ids(admin.owner().get(admin.users + "?created_at_lt=2000-01-01").expect(200).json())).isEmpty();
    }

    @Test
    void theAdminListSortsByADataFieldInEitherOrder() {
        String b = admin.createId(AppUsers.email(), Map.of("data", Map.of("rank", 2)));
        String a = admin.createId(AppUsers.email(), Map.of("data", Map.of("rank", 1)));
        String c = admin.createId(AppUsers.email(), Map.of("data", Map.of("rank", 3)));
        assertThat(ids(admin.owner().get(admin.users + "?sort=rank&order=asc").expect(200).json()))
                .containsExactly(a, b, c);
        assertThat(ids(admin.owner().get(admin.users + "?sort=-rank").expect(200).json())).containsExactly(c, b, a);
    }

    @Test
    void theAdminListShowsDisabledUsersAndFiltersOnDisabled() {
        String off = admin.createId(AppUsers.email(), Map.of());
        String on = admin.createId(AppUsers.email(), Map.of());
        admin.owner().patch(admin.users + "/" + off, Map.of("disabled", true)).expect(200);
        assertThat(ids(admin.owner().get(admin.users).expect(200).json())).containsExactlyInAnyOrder(on, off);
        assertThat(ids(admin.owner().get(admin.users + "?disabled=true").expect(200).json())).containsExactly(off);
    }

    @Test
    void theClientListLeavesDisabledUsersOut() {
        openUsers("signed_in");
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        String off = admin.createId(AppUsers.email(), Map.of());
        admin.owner().patch(admin.users + "/" + off, Map.of("disabled", true)).expect(200);
        JsonNode page = admin.app.callAs("GET", "/users", null, token).expect(200).json();
        assertThat(ids(page)).doesNotContain(off).hasSize(1);
        admin.app.callAs("GET", "/users/" + off, null, token).expect(404);
    }

    @Test
    void theClientListNeedsASignedInUserWithAClientKey() {
        openUsers("signed_in");
        admin.create(AppUsers.email(), Map.of());
        JsonNode problem = admin.app.call("GET", "/users", null).expect(401).json();
        assertThat(problem.get("detail").asString()).contains("Sign in to list users");
        admin.app.call("GET", "/users/whoever", null).expect(401);
        admin.app.callAs("GET", "/users", null, "coco_at_not-a-token").expect(401);
    }

    @Test
    void theClientListIsAPageOfPublicViewsForASignedInUser() {
        // every account field marked public: the view has the shape of the user endpoint's
        openUsers("signed_in", "email", "roles", "created_at", "email_verified");
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        admin.create(AppUsers.email(), Map.of("roles", List.of("editor")));
        JsonNode page = admin.app.callAs("GET", "/users?role=editor&limit=10", null, token).expect(200).json();
        assertThat(page.propertyNames()).containsExactly("data", "total", "limit", "offset", "has_more");
        assertThat(page.get("total").asInt()).isEqualTo(1);
        assertThat(page.get("limit").asInt()).isEqualTo(10);
        assertThat(page.get("data").get(0).propertyNames()).containsExactlyInAnyOrder("id", "email", "data",
                "roles", "created_at", "email_verified", "email_verified_at");
    }

    @Test
    void aServerKeyListsUsersWithoutASignedInUser() {
        admin.create(AppUsers.email(), Map.of());
        JsonNode page = admin.client("GET", "/users", null, admin.serverKey(), null).expect(200).json();
        assertThat(page.get("total").asInt()).isEqualTo(1);
    }

    @Test
    void theClientGetsOneUserByIdAnd404WhenAbsent() {
        openUsers("signed_in", "name");
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        String id = admin.createId(AppUsers.email(), Map.of("data", Map.of("name", "Bo")));
        JsonNode user = admin.app.callAs("GET", "/users/" + id, null, token).expect(200).json();
        assertThat(user.get("data").get("name").asString()).isEqualTo("Bo");
        JsonNode problem = admin.app.callAs("GET", "/users/no-such-user", null, token).expect(404).json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:cococloud:problem:not-found");
    }

    @Test
    void populateReplacesAReferenceToAnotherUser() {
        String bossEmail = AppUsers.email();
        String boss = admin.createId(bossEmail, Map.of("data", Map.of("name", "Boss", "phone", "+1 555")));
        String worker = admin.createId(AppUsers.email(), Map.of("data", Map.of("manager_id", boss)));
        String query = "/users?id=" + worker + "&populate=manager";
        JsonNode byServer = admin.client("GET", query, null, admin.serverKey(), null).expect(200).json();
        JsonNode manager = byServer.get("data").get(0).get("data").get("manager");
        assertThat(manager.get("id").asString()).isEqualTo(boss);
        assertThat(manager.get("email").asString()).isEqualTo(bossEmail);
        assertThat(manager.get("name").asString()).isEqualTo("Boss");
        assertThat(manager.has("password_hash")).isFalse();
        // a signed-in client, with users opened, sees of the manager only what it sees of any other user
        openUsers("signed_in", "name", "manager_id");
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        JsonNode byClient = admin.app.callAs("GET", query, null, token).expect(200).json().get("data").get(0)
                .get("data").get("manager");
        assertThat(byClient.propertyNames()).containsExactlyInAnyOrder("id", "name");
    }

    @Test
    void populateFromACollectionFollowsItsReadPermission() {
        String serverKey = admin.serverKey();
        admin.clientPath("POST", "/collections", Map.of("name", "teams", "permissions", Map.of("read",
                List.of("staff"))), serverKey).expect(201);
        String team = admin.clientPath("POST", "/collections/documents?collection=teams", Map.of("data",
                Map.of("name", "Red")), serverKey).expect(201).json().get("id").asString();
        String member = admin.createId(AppUsers.email(), Map.of("data", Map.of("team_id", team)));
        String query = "/users?id=" + member + "&populate=team";

        JsonNode byServer = admin.client("GET", query, null, serverKey, null).expect(200).json();
        assertThat(byServer.get("data").get(0).get("data").get("team").get("name").asString()).isEqualTo("Red");
        openUsers("signed_in", "team_id");
        String outsider = admin.app.signUp(AppUsers.email(), "password-1");
        JsonNode byOutsider = admin.app.callAs("GET", query, null, outsider).expect(200).json().get("data").get(0)
                .get("data");
        assertThat(byOutsider.has("team")).isFalse(); // left as stored, as documents' populate does
        assertThat(byOutsider.get("team_id").asString()).isEqualTo(team);
        String staffEmail = AppUsers.email();
        admin.create(staffEmail, Map.of("roles", List.of("staff"), "password", "staff-password"));
        String staff = admin.app.call("POST", "/login", Map.of("email", staffEmail, "password", "staff-password"))
                .expect(200).json().get("access_token").asString();
        assertThat(admin.app.callAs("GET", query, null, staff).expect(200).json().get("data").get(0).get("data")
                .get("team").get("name").asString()).isEqualTo("Red");
    }

    /**
     * Users' populate is documents' populate (one implementation): a reference list that is empty populates to an
     * empty list on a user as on a document, whatever else is on the page.
     */
    @Test
    void populateTreatsAnEmptyReferenceListAsDocumentsDo() {
        String serverKey = admin.serverKey();
        admin.clientPath("POST", "/collections/documents?collection=notes", Map.of("data",
                Map.of("id", "n1", "team_ids", List.of())), serverKey).expect(201);
        String member = admin.createId(AppUsers.email(), Map.of("data", Map.of("team_ids", List.of())));

        JsonNode note = admin.clientPath("GET", "/collections/notes/documents?populate=team", null, serverKey)
                .expect(200).json().get(0).get("data");
        JsonNode user = admin.client("GET", "/users?id=" + member + "&populate=team", null, serverKey, null)
                .expect(200).json().get("data").get(0).get("data");
        assertThat(note.get("team").isArray()).isTrue();
        assertThat(note.get("team").size()).isZero();
        assertThat(user.get("team")).isEqualTo(note.get("team"));
        assertThat(user.get("team_ids")).isEqualTo(note.get("team_ids"));
    }

    /** Opens the project's users to clients (AppUserReadSettings), with these public fields. */
    private void openUsers(String readableBy, String... publicFields) {
        admin.owner().put(admin.users + "/settings", Map.of("readable_by", readableBy, "public_fields",
                List.of(publicFields))).expect(200);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(user -> ids.add(user.get("id").asString()));
        return ids;
    }

    private static List<String> emails(JsonNode page) {
        List<String> emails = new ArrayList<>();
        page.get("data").forEach(user -> emails.add(user.get("email").asString()));
        return emails;
    }
}
