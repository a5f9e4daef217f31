package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** The admin API's collections and documents, as the console uses them. */
@IntegrationTest
class CollectionAdminTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    AdminApi owner;
    String projectId;
    String base;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        base = AdminApi.API + "/projects/" + projectId + "/collections";
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.get(field).asString()));
        return names;
    }

    @Test
    void aCollectionIsCreatedWithPermissionsRelationsAndIndexedFields() {
        JsonNode created = owner.post(base, Map.of("name", "posts",
                "permissions", Map.of("create", List.of("editor"), "owner_only", true),
                "relations", Map.of("author", "authors", "reviewer", Map.of("collection", "appuser")),
                "indexes", List.of("views", "meta.score"))).expect(201).json();

        assertThat(created.get("name").asString()).isEqualTo("posts");
        assertThat(created.get("permissions").get("create").get(0).asString()).isEqualTo("editor");
        assertThat(created.get("permissions").get("read").isEmpty()).isTrue();
        assertThat(created.get("permissions").get("owner_only").asBoolean()).isTrue();
        assertThat(created.get("relations").get("author").get("collection").asString()).isEqualTo("authors");
        assertThat(created.get("relations").get("reviewer").get("collection").asString()).isEqualTo("appuser");
        assertThat(created.get("indexes").toString()).isEqualTo("[\"views\",\"meta.score\"]");
        owner.post(base, Map.of("name", "posts")).expect(409);
    }

    @Test
    void collectionsAreListedByNameWithTheirDocumentCounts() {
        owner.post(base, Map.of("name", "empty")).expect(201);
        for (int i = 0; i < 3; i++) {
            owner.post(base + "/notes/documents", Map.of("data", Map.of("n", i))).expect(201);
        }

        JsonNode list = owner.get(base).expect(200).json();
        assertThat(names(list, "name")).containsExactly("empty", "notes");
        assertThat(list.get(0).get("document_count").asLong()).isZero();
        assertThat(list.get(1).get("document_count").asLong()).isEqualTo(3);
        assertThat(owner.get(base + "/notes").expect(200).json().get("document_count").asLong()).isEqualTo(3);
    }

    @Test
    void patchReplacesOnlyTheSettingsGiven() {
        owner.post(base, Map.of("name", "posts", "permissions", Map.of("read", List.of("member")),
                "indexes", List.of("views"))).expect(201);

        JsonNode patched = owner.patch(base + "/posts", Map.of("relations", Map.of("author", "users"))).expect(200)
                .json();
        assertThat(patched.get("permissions").get("read").get(0).asString()).isEqualTo("member");
        assertThat(patched.get("indexes").get(0).asString()).isEqualTo("views");
        assertThat(patched.get("relations").get("author").get("collection").asString()).isEqualTo("users");
        owner.patch(base + "/nothing", Map.of("indexes", List.of())).expect(404);
    }

    @Test
    void deletingACollectionDeletesItsDocuments() {
        owner.post(base + "/notes/documents", Map.of("data", Map.of("n", 1))).expect(201);

        owner.delete(base + "/notes").expect(204);

        owner.get(base + "/notes").expect(404);
        assertThat(db.queryForObject("SELECT count(*) FROM documents WHERE project_id = ?::uuid", Long.class,
                projectId)).isZero();
        owner.delete(base + "/notes").expect(404);
    }

    @Test
    void documentsAreBrowsedWithFiltersSortAndTotal() {
        for (int i = 1; i <= 5; i++) {
            owner.post(base + "/posts/documents", Map.of("data", Map.of("id", "p" + i, "views", i * 10,
                    "status", i % 2 == 0 ? "draft" : "published"))).expect(201);
        }

        JsonNode page = owner.get(base + "/posts/documents?status=published&sort=views&order=asc&limit=2")
                .expect(200).json();
        assertThat(names(page.get("data"), "id")).containsExactly("p1", "p3");
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isZero();
    }

    @Test
    void aDocumentIsCreatedReadMergedAndDeleted() {
        JsonNode created = owner.post(base + "/notes/documents", Map.of("data", Map.of("text", "hi", "n", 1)))
                .expect(201).json();
        String path = base + "/notes/documents/" + created.get("id").asString();
        assertThat(created.get("owner_id").isNull()).isTrue();

        assertThat(owner.get(path).expect(200).json().get("data").get("text").asString()).isEqualTo("hi");
        JsonNode merged = owner.patch(path, Map.of("data", Map.of("n", 2))).expect(200).json();
        assertThat(merged.get("data").get("text").asString()).isEqualTo("hi");
        assertThat(merged.get("data").get("n").asInt()).isEqualTo(2);
        owner.delete(path).expect(204);
        owner.get(path).expect(404);
        owner.delete(path).expect(404);
    }

    @Test
    void viewersReadButDoNotWrite() {
        owner.post(base + "/notes/documents", Map.of("data", Map.of("id", "n1"))).expect(201);
        AdminApi viewer = AdminApi.newAccount(port);
        owner.addMember(projectId, viewer, "viewer");

        viewer.get(base).expect(200);
        viewer.get(base + "/notes/documents").expect(200);
        viewer.get(base + "/notes/documents/n1").expect(200);
        viewer.post(base, Map.of("name", "more")).expect(403);
        viewer.post(base + "/notes/documents", Map.of("data", Map.of())).expect(403);
        viewer.patch(base + "/notes/documents/n1", Map.of("data", Map.of("x", 1))).expect(403);
        viewer.delete(base + "/notes/documents/n1").expect(403);
        viewer.delete(base + "/notes").expect(403);
        assertThat(owner.get(base + "/notes/documents/n1").expect(200).json().get("data").has("x")).isFalse();
    }

    @Test
    void anotherProjectsCollectionsAreNotFoundAndUntouched() {
        owner.post(base + "/notes/documents", Map.of("data", Map.of("id", "n1", "secret", "b"))).expect(201);
        AdminApi stranger = AdminApi.newAccount(port);
        stranger.createProject();

        stranger.get(base).expect(404);
        stranger.get(base + "/notes").expect(404);
        stranger.get(base + "/notes/documents").expect(404);
        stranger.get(base + "/notes/documents/n1").expect(404);
        stranger.patch(base + "/notes/documents/n1", Map.of("data", Map.of("secret", "x"))).expect(404);
        stranger.delete(base + "/notes/documents/n1").expect(404);
        stranger.delete(base + "/notes").expect(404);
        stranger.patch(base + "/notes", Map.of("permissions", Map.of("read", List.of("x")))).expect(404);
        assertThat(owner.get(base + "/notes/documents/n1").expect(200).json().get("data").get("secret").asString())
                .isEqualTo("b");
    }

    @Test
    void badSettingsAreRefusedNamingTheProblem() {
        assertThat(owner.post(base, Map.of("permissions", Map.of())).expect(400).json().get("detail").asString())
                .contains("name");
        assertThat(owner.post(base, Map.of("name", "bad name")).expect(400).json().get("detail").asString())
                .contains("collection name");
        assertThat(owner.post(base, Map.of("name", "a", "permissions", Map.of("write", List.of())))
                .expect(400).json().get("detail").asString()).contains("permissions.write");
        assertThat(owner.post(base, Map.of("name", "a", "permissions", Map.of("owner_only", "yes")))
                .expect(400).json().get("detail").asString()).contains("owner_only");
        assertThat(owner.post(base, Map.of("name", "a", "relations", Map.of("author", 5)))
                .expect(400).json().get("detail").asString()).contains("relations.author");
        assertThat(owner.post(base, Map.of("name", "a", "indexes", "views"))
                .expect(400).json().get("detail").asString()).contains("indexes");
        assertThat(owner.post(base, Map.of("name", "a", "indexes", List.of("views'); DROP TABLE documents; --")))
                .expect(400).json().get("detail").asString()).contains("invalid field name");
        assertThat(owner.post(base, Map.of("name", "a", "indexes", List.of("created_at")))
                .expect(400).json().get("detail").asString()).contains("created_at");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            many.add("f" + i);
        }
        assertThat(owner.post(base, Map.of("name", "a", "indexes", many)).expect(400).json().get("detail")
                .asString()).contains("at most 16");
        assertThat(owner.post(base, Map.of("name", "a", "colour", "red")).expect(400).json().get("detail")
                .asString()).contains("colour");
        assertThat(owner.get(base).expect(200).json().isEmpty()).isTrue();
    }

    @Test
    void badDocumentRequestsAreRefusedNamingTheProblem() {
        assertThat(owner.post(base + "/notes/documents", Map.of("text", "no data wrapper")).expect(400).json()
                .get("detail").asString()).contains("data");
        assertThat(owner.post(base + "/notes/documents", Map.of("data", List.of(1))).expect(400).json()
                .get("detail").asString()).contains("data must be a JSON object");
        assertThat(owner.get(base + "/notes/documents?limit=100000").expect(400).json().get("detail").asString())
                .contains("limit");
        assertThat(owner.get(base + "/notes/documents?offset=-1").expect(400).json().get("detail").asString())
                .contains("offset");
        assertThat(owner.get(base + "/notes/documents?views__between=1").expect(400).json().get("detail")
                .asString()).contains("unknown operator");
    }
}
