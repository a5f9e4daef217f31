package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * populate follows the relation declared on a collection, which a warm read takes from memory (issue 15: no read of
 * the collection's row per populated field) until a change is announced: the collection's own settings, or a rename
 * in its project, which rewrites relations to the old name on every collection.
 */
@IntegrationTest
class DeclaredRelationsTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient db;
    @Autowired
    ApplicationEventPublisher events;

    ClientApp app;

    /** Posts whose author_id names a writer; neither "authors" nor "author" exists, so only the relation leads there. */
    @BeforeEach
    void postsDeclaredToBeByWriters() {
        app = ClientApp.newProject(port);
        app.server("POST", "/collections", Map.of("name", "posts", "relations", Map.of("author", "writers")))
                .expect(201);
        app.create("writers", Map.of("id", "w1", "name", "Ada"));
        app.create("people", Map.of("id", "w1", "name", "Grace"));
        app.create("posts", Map.of("id", "p1", "title", "One", "author_id", "w1"));
    }

    /** The populated author's name, else what stands under "author" (nothing when no record was found). */
    private String populatedAuthor() {
        JsonNode data = app.call("GET", "/collections/posts/documents?populate=author", null).expect(200).json()
                .get(0).get("data");
        JsonNode author = data.get("author");
        return author == null ? "none" : author.isObject() ? author.get("name").asString() : author.toString();
    }

    @Test
    void populateFollowsTheDeclaredRelation() {
        assertThat(populatedAuthor()).isEqualTo("Ada");
    }

    @Test
    void aRelationChangedThroughTheAdminApiIsFollowedAtOnce() {
        assertThat(populatedAuthor()).isEqualTo("Ada");

        app.owner.patch(AdminApi.API + "/projects/" + app.projectId + "/collections/posts",
                Map.of("relations", Map.of("author", "people"))).expect(200);

        assertThat(populatedAuthor()).isEqualTo("Grace");
    }

    @Test
    void aWarmReadTakesTheRelationFromMemoryUntilAChangeIsAnnounced() {
        UUID project = UUID.fromString(app.projectId);
        assertThat(populatedAuthor()).isEqualTo("Ada");

        db.sql("UPDATE collections SET relations = '{\"author\": {\"collection\": \"people\"}}'::jsonb"
                + " WHERE project_id = ? AND name = 'posts'").param(project).update(); // nobody says so
        assertThat(populatedAuthor()).isEqualTo("Ada");

        events.publishEvent(new CollectionPermissionsChanged(project, "posts"));
        assertThat(populatedAuthor()).isEqualTo("Grace");
    }

    @Test
    void renamingTheTargetKeepsPopulateOnItsDocuments() {
        assertThat(populatedAuthor()).isEqualTo("Ada");

        app.server("PATCH", "/collections/writers", Map.of("name", "staff")).expect(200);

        assertThat(populatedAuthor()).isEqualTo("Ada"); // posts' relation now names staff, where w1 moved
    }
}
