package io.cococloud.data;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * Renaming a collection (the Flutter SDK's updateCollection; the admin API's PATCH): everything that belonged to
 * the old name belongs to the new one, in one step, and the old name is free.
 */
@IntegrationTest
class CollectionRenameTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    Functions functions;
    ClientApp app;
    String collections;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        app = ClientApp.forProject(port, functions);
        collections = API + "/projects/" + app.projectId + "/collections";
    }

    private AdminApi.Response rename(String from, String to) {
        return app.server("PATCH", "/collections/" + from, Map.of("name", to));
    }

    private long count(String collection) {
        return db.queryForObject("SELECT count(*) FROM documents WHERE project_id = ?::uuid AND collection = ?",
                Long.class, app.projectId, collection);
    }

    private List<String> declaredIndexes(String collection) {
        return db.queryForList("SELECT indexname FROM pg_indexes WHERE tablename = 'documents' AND indexdef LIKE ?"
                + " AND indexdef LIKE ?", String.class, "%'" + app.projectId + "'%", "%'" + collection + "'%");
    }

    @Test
    void aRenamedCollectionKeepsEveryDocumentUnderTheNewNameAndNoneUnderTheOld() {
        for (int i = 0; i < 5; i++) {
            app.server("POST", "/collections/documents?collection=books",
                    Map.of("data", Map.of("id", "b" + i, "title", "Book " + i))).expect(201);
        }

        JsonNode renamed = rename("books", "novels").expect(200).json();

        assertThat(renamed.get("id").asString()).isEqualTo("novels");
        assertThat(renamed.get("name").asString()).isEqualTo("novels");
        assertThat(count("novels")).isEqualTo(5);
        assertThat(count("books")).isZero();
        assertThat(app.server("GET", "/collections/novels/documents/b3", null).expect(200).json().get("data")
                .get("title").asString()).isEqualTo("Book 3");
        app.server("GET", "/collections/books/documents/b3", null).expect(404);
        assertThat(functions.owner().get(collections).expect(200).json()).extracting(c -> c.get("name").asString())
                .containsExactly("novels");
    }

    @Test
    void theOldNamesPermissionsNowGuardTheNewName() {
        app.server("POST", "/collections", Map.of("name", "notes", "permissions", Map.of("read", List.of("admin"))))
                .expect(201);
        // read once under the old name, so that a cached rule would show if it were kept
        app.call("GET", "/collections/notes/documents", null).expect(401);

        rename("notes", "memos").expect(200);

        app.call("GET", "/collections/memos/documents", null).expect(401);
        assertThat(app.call("GET", "/collections/notes/documents", null).status()).isEqualTo(200);
    }

    @Test
    void theOldNamesWebhookNowBelongsToTheNewName() {
        app.server("POST", "/collections", Map.of("name", "orders")).expect(201);
        JsonNode set = app.server("PATCH", "/collections/orders", Map.of("webhook_url", "http://127.0.0.1:9/hook"))
                .expect(200).json();

        rename("orders", "purchases").expect(200);

        JsonNode webhook = functions.owner().get(collections + "/purchases/webhook").expect(200).json();
        assertThat(webhook.toString()).contains("http://127.0.0.1:9/hook").contains(set.get("webhook_secret")
                .asString());
        functions.owner().get(collections + "/orders/webhook").expect(404);
    }

    @Test
    void aHookOnTheOldNameFiresForWritesOnTheNewName() {
        String recorder = functions.deploy("""
                def main():
                    e = request.json()
                    db.create_document('hook_log', {'collection': e['collection'], 'document_id': e['document_id']})
                """);
        app.server("POST", "/collections", Map.of("name", "posts")).expect(201);
        functions.owner().post(API + "/projects/" + app.projectId + "/hooks", Map.of("function_id", recorder,
                "collection", "posts", "timing", "after", "events", List.of("documents.create"))).expect(201);
        // the hooks are read once, so that a cached list naming the old collection would show if it were kept
        app.server("POST", "/collections/documents?collection=posts", Map.of("data", Map.of("id", "before")))
                .expect(201);

        rename("posts", "articles").expect(200);
        app.server("POST", "/collections/documents?collection=articles", Map.of("data", Map.of("id", "after")))
                .expect(201);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("hook_log") >= 2);
        assertThat(db.queryForList("SELECT data->>'collection' || '/' || (data->>'document_id') FROM documents"
                + " WHERE project_id = ?::uuid AND collection = 'hook_log'", String.class, app.projectId))
                .containsExactlyInAnyOrder("posts/before", "articles/after");
    }

    @Test
    void relationsToTheOldNameNowLeadToTheNewName() {
        app.server("POST", "/collections", Map.of("name", "authors")).expect(201);
        app.server("POST", "/collections", Map.of("name", "books", "relations", Map.of("author", "authors",
                "editor", "people"))).expect(201);

        rename("authors", "writers").expect(200);

        JsonNode relations = functions.owner().get(collections + "/books").expect(200).json().get("relations");
        assertThat(relations.get("author").get("collection").asString()).isEqualTo("writers");
        assertThat(relations.get("editor").get("collection").asString()).isEqualTo("people");
    }

    @Test
    void theDeclaredIndexesAreRebuiltForTheNewNameAndDroppedForTheOld() {
        functions.owner().post(collections, Map.of("name", "posts", "indexes", List.of("views"))).expect(201);
        assertThat(declaredIndexes("posts")).hasSize(2);

        functions.owner().patch(collections + "/posts", Map.of("name", "entries")).expect(200);

        assertThat(declaredIndexes("entries")).hasSize(2);
        assertThat(declaredIndexes("posts")).isEmpty();
    }

    @Test
    void theAdminApiRenamesAndChangesSettingsInOneCall() {
        functions.owner().post(collections, Map.of("name", "posts")).expect(201);

        JsonNode renamed = functions.owner().patch(collections + "/posts", Map.of("name", "entries",
                "permissions", Map.of("create", List.of("editor")))).expect(200).json();

        assertThat(renamed.get("name").asString()).isEqualTo("entries");
        assertThat(renamed.get("permissions").get("create").get(0).asString()).isEqualTo("editor");
    }

    @Test
    void aNameAnotherCollectionHasIsAConflictAndChangesNothing() {
        app.server("POST", "/collections/documents?collection=books", Map.of("data", Map.of("id", "b1"))).expect(201);
        app.server("POST", "/collections/documents?collection=films", Map.of("data", Map.of("id", "f1"))).expect(201);

        rename("books", "films").expect(409);
        functions.owner().patch(collections + "/books", Map.of("name", "films")).expect(409);

        assertThat(count("books")).isEqualTo(1);
        assertThat(count("films")).isEqualTo(1);
    }

    @Test
    void anInvalidNameIsABadRequestNamingTheFieldName() {
        app.server("POST", "/collections", Map.of("name", "books")).expect(201);

        JsonNode problem = rename("books", "no spaces!").expect(400).json();
        assertThat(problem.get("field").asString()).isEqualTo("name");
        assertThat(app.server("PATCH", "/collections/books", Map.of("name", 7)).expect(400).json().get("field")
                .asString()).isEqualTo("name");
        assertThat(functions.owner().patch(collections + "/books", Map.of("name", "")).expect(400).json()
                .get("field").asString()).isEqualTo("name");
    }

    @Test
    void renamingACollectionThatDoesNotExistIsNotFound() {
        rename("ghosts", "spirits").expect(404);
        functions.owner().patch(collections + "/ghosts", Map.of("name", "spirits")).expect(404);
    }

    @Test
    void aClientKeyCannotRenameACollection() {
        app.server("POST", "/collections", Map.of("name", "books")).expect(201);

        app.call("PATCH", "/collections/books", Map.of("name", "novels")).expect(403);

        functions.owner().get(collections + "/books").expect(200);
    }

    @Test
    void renamingToTheSameNameChangesNothing() {
        app.server("POST", "/collections/documents?collection=books", Map.of("data", Map.of("id", "b1"))).expect(201);

        assertThat(rename("books", "books").expect(200).json().get("name").asString()).isEqualTo("books");
        assertThat(count("books")).isEqualTo(1);
    }
}
