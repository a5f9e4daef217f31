package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.IntegrationTest;

/** populate on the client API's list: the same resolution as db.query, inside each document's data. */
@IntegrationTest
class ClientPopulateTest {

    @LocalServerPort
    int port;

    ClientApp app;

    @BeforeEach
    void postsWithCategories() {
        app = ClientApp.newProject(port);
        app.create("categories", Map.of("id", "cat-1", "name", "Science"));
        app.create("tags", Map.of("id", "t1", "label", "math"));
        app.create("posts", Map.of("id", "p1", "title", "One", "category_id", "cat-1", "tag_ids", List.of("t1")));
    }

    @Test
    void listedDocumentsCarryTheRecordsTheyReference() {
        JsonNode post = app.call("GET", "/collections/posts/documents?populate=category&populate=tag", null)
                .expect(200).json().get(0);
        assertThat(post.get("data").get("category").get("name").asString()).isEqualTo("Science");
        assertThat(post.get("data").get("category_id").asString()).isEqualTo("cat-1");
        assertThat(post.get("data").get("tag").get(0).get("label").asString()).isEqualTo("math");
        assertThat(post.get("data").has("id")).isFalse();
    }

    @Test
    void aCommaListWorksTooAndABadEntryIs400() {
        JsonNode post = app.call("GET", "/collections/posts/documents?populate=category,tag", null).expect(200).json()
                .get(0);
        assertThat(post.get("data").get("tag").size()).isEqualTo(1);
        assertThat(app.call("GET", "/collections/posts/documents?populate=" + ClientApp.q("bad entry!"), null)
                .expect(400).json().get("detail").asString()).contains("populate");
    }
}
