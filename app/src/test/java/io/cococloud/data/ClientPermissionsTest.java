package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.IntegrationTest;

/** Collection permissions, keys and tenancy of the /collections client API. */
@IntegrationTest
class ClientPermissionsTest {

    @LocalServerPort
    int port;

    ClientApp app;

    @BeforeEach
    void project() {
        app = ClientApp.newProject(port);
    }

    private void restrict(String collection) {
        JsonNode made = app.server("POST", "/collections/", Map.of("name", collection, "permissions",
                Map.of("create", List.of("editor"), "read", List.of("editor", "reader"), "update", List.of("editor"),
                        "delete", List.of("admin")))).expect(201).json();
        assertThat(made.get("name").asString()).isEqualTo(collection);
        assertThat(made.get("permissions").get("read")).hasSize(2);
        assertThat(made.get("created_at").asString()).isNotBlank();
    }

    @Test
    void aCollectionWithoutPermissionsIsPublicToTheProjectsKey() {
        String id = app.create("open", Map.of("a", 1));
        app.call("GET", "/collections/open/documents/" + id, null).expect(200);
        app.server("POST", "/collections", Map.of("name", "also_open")).expect(201);
        app.create("also_open", Map.of("a", 1));
        assertThat(app.call("GET", "/collections/also_open/documents", null).expect(200).json()).hasSize(1);
    }

    @Test
    void onlyAServerKeyCreatesCollectionsAndANameIsTakenOnce() {
        app.call("POST", "/collections/", Map.of("name", "mine")).expect(403);
        app.server("POST", "/collections/", Map.of("name", "mine")).expect(201);
        app.server("POST", "/collections/", Map.of("name", "mine")).expect(409);
        assertThat(app.server("POST", "/collections/", Map.of("name", "x", "permissions", Map.of("write",
                List.of()))).expect(400).json().get("detail").asString()).contains("write");
    }

    @Test
    void aRestrictedActionNeedsASignedInUserWithOneOfItsRoles() {
        restrict("secrets");
        String create = "/collections/documents?collection=secrets";
        Map<String, Object> body = Map.of("data", Map.of("s", "x"));

        assertThat(app.call("POST", create, body).expect(401).json().get("detail").asString()).isNotBlank();
        app.call("GET", "/collections/secrets/documents", null).expect(401);
        app.call("GET", "/collections/secrets/query/documents/count", null).expect(401);

        String nobody = app.signUp();
        app.as(nobody, "POST", create, body).expect(403);
        app.as(nobody, "GET", "/collections/secrets/documents", null).expect(403);

        String editor = app.signUp("editor");
        String id = app.as(editor, "POST", create, body).expect(201).json().get("id").asString();
        String path = "/collections/secrets/documents/" + id;
        app.as(editor, "GET", path, null).expect(200);
        app.as(editor, "PATCH", path, Map.of("data", Map.of("s", "y"))).expect(200);
        app.as(editor, "DELETE", path, null).expect(403);

        String reader = app.signUp("reader");
        app.as(reader, "GET", path, null).expect(200);
        app.as(reader, "PUT", path, Map.of("data", Map.of("s", "z"))).expect(403);
        app.as(reader, "POST", "/collections/secrets/batch/documents/create",
                Map.of("documents", List.of(Map.of("s", 1)))).expect(403);

        app.as("coco_at_not-a-real-token", "GET", path, null).expect(401);
    }

    @Test
    void aServerKeyBypassesPermissions() {
        restrict("secrets");
        String id = app.server("POST", "/collections/documents?collection=secrets", Map.of("data", Map.of("s", 1)))
                .expect(201).json().get("id").asString();
        app.server("GET", "/collections/secrets/documents/" + id, null).expect(200);
        app.server("DELETE", "/collections/secrets/documents/" + id, null).expect(200);
    }

    @Test
    void aMissingOrUnknownKeyIs401() {
        app.send("GET", "/collections/posts/documents", null, null, null).expect(401);
        String forged = app.clientKey.substring(0, app.clientKey.length() - 4) + "AAAA";
        assertThat(app.send("GET", "/collections/posts/documents", null, forged, null).expect(401).json()
                .get("detail").asString()).isNotBlank();
    }

    @Test
    void projectsNeverSeeEachOthersDocuments() {
        ClientApp other = ClientApp.newProject(port);
        String mine = app.create("shared", Map.of("owner", "a"));
        String theirs = other.create("shared", Map.of("owner", "b"));

        JsonNode listA = app.call("GET", "/collections/shared/documents", null).expect(200).json();
        assertThat(listA).hasSize(1);
        assertThat(listA.get(0).get("id").asString()).isEqualTo(mine);
        assertThat(other.call("GET", "/collections/shared/documents", null).expect(200).json().get(0).get("id")
                .asString()).isEqualTo(theirs);

        app.call("GET", "/collections/shared/documents/" + theirs, null).expect(404);
        app.call("PATCH", "/collections/shared/documents/" + theirs, Map.of("data", Map.of("x", 1))).expect(404);
        app.call("DELETE", "/collections/shared/documents/" + theirs, null).expect(404);
        assertThat(app.call("POST", "/collections/shared/batch/documents/delete", Map.of("document_ids",
                List.of(theirs))).expect(200).json().get("count").asInt()).isZero();
        assertThat(app.call("GET", "/collections/shared/query/documents/count", null).expect(200).json()
                .get("count").asLong()).isEqualTo(1);
        other.call("GET", "/collections/shared/documents/" + theirs, null).expect(200);
    }

    @Test
    void aTokenOfAnotherProjectIsRefused() {
        ClientApp other = ClientApp.newProject(port);
        String tokenOfOther = other.signUp("editor");
        app.as(tokenOfOther, "GET", "/collections/anything/documents", null).expect(401);
    }

    @Test
    void inAnOwnerOnlyCollectionOnlyTheCreatorUpdatesOrDeletesADocument() {
        app.server("POST", "/collections/", Map.of("name", "notes", "permissions", Map.of("owner_only", true)))
                .expect(201);
        String alice = app.signUp();
        String bob = app.signUp();
        String id = app.as(alice, "POST", "/collections/documents?collection=notes", Map.of("data",
                Map.of("text", "mine"))).expect(201).json().get("id").asString();
        String path = "/collections/notes/documents/" + id;

        app.as(bob, "GET", path, null).expect(200);
        app.as(bob, "PATCH", path, Map.of("data", Map.of("text", "bob's"))).expect(403);
        app.as(bob, "PUT", path, Map.of("data", Map.of("text", "bob's"))).expect(403);
        app.as(bob, "DELETE", path, null).expect(403);
        app.call("PATCH", path, Map.of("data", Map.of("text", "nobody's"))).expect(401);
        assertThat(app.as(alice, "PATCH", path, Map.of("data", Map.of("text", "still mine"))).expect(200).json()
                .get("data").get("text").asString()).isEqualTo("still mine");
        app.server("PATCH", path, Map.of("data", Map.of("checked", true))).expect(200);
        app.as(alice, "DELETE", path, null).expect(200);
    }

    @Test
    void inAnOwnerOnlyCollectionABatchTouchesOnlyTheCallersDocuments() {
        app.server("POST", "/collections/", Map.of("name", "notes", "permissions", Map.of("owner_only", true)))
                .expect(201);
        String alice = app.signUp();
        String bob = app.signUp();
        String hers = app.as(alice, "POST", "/collections/documents?collection=notes", Map.of("data",
                Map.of("n", 1))).expect(201).json().get("id").asString();
        String his = app.as(bob, "POST", "/collections/documents?collection=notes", Map.of("data",
                Map.of("n", 2))).expect(201).json().get("id").asString();

        JsonNode updated = app.as(bob, "POST", "/collections/notes/batch/documents/update", Map.of("updates",
                Map.of(hers, Map.of("n", 0), his, Map.of("n", 20)))).expect(200).json();
        assertThat(updated).hasSize(1);
        assertThat(updated.get(0).get("id").asString()).isEqualTo(his);
        assertThat(app.as(bob, "POST", "/collections/notes/batch/documents/delete", Map.of("document_ids",
                List.of(hers, his))).expect(200).json().get("count").asInt()).isEqualTo(1);
        assertThat(app.call("GET", "/collections/notes/documents/" + hers, null).expect(200).json().get("data")
                .get("n").asInt()).isEqualTo(1);
    }
}
