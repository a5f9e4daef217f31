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

import io.cococloud.support.IntegrationTest;

/** The CocoBase client API's documents: CRUD, listing with filters, counts, aggregates and batches. */
@IntegrationTest
class ClientDocumentsTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    ClientApp app;

    @BeforeEach
    void project() {
        app = ClientApp.newProject(port);
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(node -> ids.add(node.get("id").asString()));
        return ids;
    }

    private void seedPosts() {
        for (int i = 1; i <= 12; i++) {
            app.create("posts", Map.of("id", "post-" + i, "title", "Post " + i, "views", i * 25,
                    "status", i % 3 == 0 ? "draft" : "published", "tags", List.of(i % 2 == 0 ? "python" : "java")));
        }
    }

    @Test
    void theFirstCreateInANewCollectionBringsTheCollectionIntoBeingAndLaterOnesKeepIt() {
        // create is one statement that inserts the collection's row beside the document (a CTE)
        app.create("brand_new", Map.of("n", 1));
        app.create("brand_new", Map.of("n", 2));

        assertThat(db.queryForObject("SELECT count(*) FROM collections WHERE project_id = ?::uuid AND name = ?",
                Long.class, app.projectId, "brand_new")).isEqualTo(1);
        assertThat(app.call("GET", "/collections/brand_new/documents", null).expect(200).json().size()).isEqualTo(2);
    }

    @Test
    void aDocumentGoesThroughCreateReadMergeReplaceAndDelete() {
        JsonNode created = app.call("POST", "/collections/documents?collection=notes",
                Map.of("data", Map.of("text", "hello", "n", 1))).expect(201).json();
        assertThat(created.propertyNames()).contains("id", "collection", "data", "created_at", "updated_at");
        assertThat(created.get("collection").get("name").asString()).isEqualTo("notes");
        assertThat(created.get("data").get("text").asString()).isEqualTo("hello");
        String id = created.get("id").asString();
        String path = "/collections/notes/documents/" + id;

        JsonNode read = app.call("GET", path, null).expect(200).json();
        assertThat(read.get("id").asString()).isEqualTo(id);
        assertThat(read.get("data").get("n").asInt()).isEqualTo(1);

        JsonNode merged = app.call("PATCH", path, Map.of("data", Map.of("n", 2, "extra", true))).expect(200).json();
        assertThat(merged.get("data").get("text").asString()).isEqualTo("hello");
        assertThat(merged.get("data").get("n").asInt()).isEqualTo(2);
        assertThat(merged.get("data").get("extra").asBoolean()).isTrue();

        JsonNode replaced = app.call("PUT", path, Map.of("data", Map.of("only", "this"))).expect(200).json();
        assertThat(replaced.get("data").propertyNames()).containsExactly("only");
        assertThat(app.call("GET", path, null).expect(200).json().get("data").propertyNames())
                .containsExactly("only");

        JsonNode deleted = app.call("DELETE", path, null).expect(200).json();
        assertThat(deleted.get("status").asString()).isEqualTo("success");
        assertThat(deleted.get("id").asString()).isEqualTo(id);
        app.call("GET", path, null).expect(404);
        app.call("DELETE", path, null).expect(404);
        app.call("PATCH", path, Map.of("data", Map.of("n", 3))).expect(404);
        app.call("PUT", path, Map.of("data", Map.of("n", 3))).expect(404);
    }

    @Test
    void aDocumentMadeWithATokenRecordsItsUserAsOwner() {
        String token = app.signUp();
        String id = app.as(token, "POST", "/collections/documents?collection=notes", Map.of("data", Map.of("a", 1)))
                .expect(201).json().get("id").asString();
        String me = app.as(token, "GET", "/auth-collections/user", null).expect(200).json().get("id").asString();
        assertThat(db.queryForObject("SELECT owner_id FROM documents WHERE project_id = ?::uuid AND id = ?",
                String.class, app.projectId, id)).isEqualTo(me);
    }

    @Test
    void listingFiltersSortsLimitsOffsetsAndSelects() {
        seedPosts();
        JsonNode published = app.call("GET", "/collections/posts/documents?status=published&views_gte=100"
                + "&sort=views&order=asc&limit=3", null).expect(200).json();
        assertThat(ids(published)).containsExactly("post-4", "post-5", "post-7");

        JsonNode next = app.call("GET", "/collections/posts/documents?status=published&views_gte=100"
                + "&sort=views&order=asc&limit=3&offset=3", null).expect(200).json();
        assertThat(ids(next)).containsExactly("post-8", "post-10", "post-11");

        JsonNode descending = app.call("GET", "/collections/posts/documents?sort=-views&limit=2", null).expect(200)
                .json();
        assertThat(ids(descending)).containsExactly("post-12", "post-11");

        JsonNode either = app.call("GET", "/collections/posts/documents?" + ClientApp.q("[or]status") + "=draft&"
                + ClientApp.q("[or]views__lt") + "=50&sort=views&order=asc", null).expect(200).json();
        assertThat(ids(either)).containsExactly("post-1", "post-3", "post-6", "post-9", "post-12");

        JsonNode tagged = app.call("GET", "/collections/posts/documents?tags_contains=java&views__lte=75&order=asc"
                + "&sort=views", null).expect(200).json();
        assertThat(ids(tagged)).containsExactly("post-1", "post-3");

        JsonNode selected = app.call("GET", "/collections/posts/documents?id=post-2&select=title,views", null)
                .expect(200).json();
        assertThat(selected).hasSize(1);
        assertThat(selected.get(0).get("data").propertyNames()).containsExactlyInAnyOrder("title", "views");

        assertThat(app.call("GET", "/collections/posts/documents", null).expect(200).json()).hasSize(12);
        assertThat(app.call("GET", "/collections/nothing_here/documents", null).expect(200).json()).isEmpty();
    }

    @Test
    void countAndAggregatesFollowTheFilters() {
        seedPosts();
        assertThat(app.call("GET", "/collections/posts/query/documents/count", null).expect(200).json().get("count")
                .asLong()).isEqualTo(12);
        assertThat(app.call("GET", "/collections/posts/query/documents/count?status=draft", null).expect(200).json()
                .get("count").asLong()).isEqualTo(4);

        String aggregate = "/collections/posts/query/documents/aggregate?field=views&operation=";
        // drafts: posts 3, 6, 9, 12 -> 75 + 150 + 225 + 300
        assertThat(app.call("GET", aggregate + "sum&status=draft", null).expect(200).json().get("result").asDouble())
                .isEqualTo(750.0);
        assertThat(app.call("GET", aggregate + "avg&status=draft", null).expect(200).json().get("result").asDouble())
                .isEqualTo(187.5);
        assertThat(app.call("GET", aggregate + "min", null).expect(200).json().get("result").asDouble())
                .isEqualTo(25.0);
        assertThat(app.call("GET", aggregate + "max", null).expect(200).json().get("result").asDouble())
                .isEqualTo(300.0);
        assertThat(app.call("GET", aggregate + "count&views_gt=250", null).expect(200).json().get("result").asLong())
                .isEqualTo(2);
        assertThat(app.call("GET", aggregate + "sum&status=nothing", null).expect(200).json().get("result")
                .asDouble()).isEqualTo(0.0);
        assertThat(app.call("GET", aggregate + "median", null).expect(400).json().get("detail").asString())
                .contains("operation").contains("median");
    }

    @Test
    void batchesCreateUpdateAndDelete() {
        JsonNode created = app.call("POST", "/collections/items/batch/documents/create", Map.of("documents",
                List.of(Map.of("id", "a", "n", 1), Map.of("id", "b", "n", 2), Map.of("id", "c", "n", 3))))
                .expect(201).json();
        assertThat(ids(created)).containsExactly("a", "b", "c");
        assertThat(created.get(1).get("data").get("n").asInt()).isEqualTo(2);

        JsonNode updated = app.call("POST", "/collections/items/batch/documents/update", Map.of("updates",
                Map.of("a", Map.of("n", 10), "c", Map.of("flag", true)))).expect(200).json();
        assertThat(ids(updated)).containsExactlyInAnyOrder("a", "c");
        assertThat(app.call("GET", "/collections/items/documents/a", null).expect(200).json().get("data").get("n")
                .asInt()).isEqualTo(10);
        JsonNode c = app.call("GET", "/collections/items/documents/c", null).expect(200).json().get("data");
        assertThat(c.get("n").asInt()).isEqualTo(3);
        assertThat(c.get("flag").asBoolean()).isTrue();

        JsonNode deleted = app.call("POST", "/collections/items/batch/documents/delete",
                Map.of("document_ids", List.of("a", "b", "missing"))).expect(200).json();
        assertThat(deleted.get("count").asInt()).isEqualTo(2);
        assertThat(ids(app.call("GET", "/collections/items/documents", null).expect(200).json()))
                .containsExactly("c");
    }

    @Test
    void aBatchWithOneBadDocumentStoresNone() {
        app.call("POST", "/collections/items/batch/documents/create", Map.of("documents",
                List.of(Map.of("id", "x", "n", 1), Map.of("id", "x", "n", 2)))).expect(400);
        assertThat(app.call("GET", "/collections/items/documents", null).expect(200).json()).isEmpty();
    }

    /** The SDK always adds limit and offset (and sort/order when set), even to count and aggregate. */
    @Test
    void countAndAggregateIgnorePagingParametersAsTheSdkSendsThem() {
        seedPosts();
        long all = app.call("GET", "/collections/posts/query/documents/count", null).expect(200).json().get("count")
                .asLong();
        assertThat(app.call("GET", "/collections/posts/query/documents/count?limit=100&offset=0&sort=views&order=asc",
                null).expect(200).json().get("count").asLong()).isEqualTo(all).isPositive();
        assertThat(app.call("GET", "/collections/posts/query/documents/aggregate?field=views&operation=count"
                + "&limit=100&offset=0", null).expect(200).json().get("result").asLong()).isEqualTo(all);
    }

    @Test
    void aRepeatedOrKeyInTheQueryStringAddsToTheOrGroup() {
        seedPosts();
        app.create("posts", Map.of("id", "review-1", "status", "review"));

        JsonNode found = app.call("GET", "/collections/posts/documents?limit=100&" + ClientApp.q("[or]status") + "=draft&"
                + ClientApp.q("[or]status") + "=review", null).expect(200).json();

        assertThat(ids(found)).containsExactlyInAnyOrder("post-3", "post-6", "post-9", "post-12", "review-1");
    }

    @Test
    void aRepeatedFilterKeyMustHoldForEveryValue() {
        app.create("posts", Map.of("id", "both", "tags", List.of("java", "python")));
        app.create("posts", Map.of("id", "one", "tags", List.of("java")));

        JsonNode found = app.call("GET", "/collections/posts/documents?tags_contains=java&tags_contains=python",
                null).expect(200).json();

        assertThat(ids(found)).containsExactly("both");
    }

    @Test
    void documentsWithoutTheSortFieldComeFirstAscendingAndLastDescending() {
        app.create("posts", Map.of("id", "a", "rank", 1));
        app.create("posts", Map.of("id", "none"));
        app.create("posts", Map.of("id", "b", "rank", 2));

        assertThat(ids(app.call("GET", "/collections/posts/documents?sort=rank&order=asc", null).expect(200).json()))
                .containsExactly("none", "a", "b");
        assertThat(ids(app.call("GET", "/collections/posts/documents?sort=rank&order=desc", null).expect(200).json()))
                .containsExactly("b", "a", "none");
    }
}
