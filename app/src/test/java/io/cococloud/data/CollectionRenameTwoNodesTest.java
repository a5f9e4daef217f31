package io.cococloud.data;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.SecondNode;

/**
 * A rename on node A, seen by node B (a second server on the same PostgreSQL) long before B's cached entries would
 * expire (5 minutes): only the cross-node events of the rename can make B forget what it cached under both names.
 */
@IntegrationTest
class CollectionRenameTwoNodesTest {

    /** Far below the staleness bound, far above the notification's delay. */
    private static final Duration NOTIFIED = Duration.ofSeconds(15);

    private static SecondNode nodeB;

    @LocalServerPort
    int portA;

    @Autowired
    JdbcTemplate db;

    @BeforeAll
    static void startNodeB() {
        nodeB = SecondNode.start(Map.of("coco.cluster.max-staleness", "5m"));
    }

    @AfterAll
    static void stopNodeB() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @Test
    void theOtherNodeForgetsThePermissionsItCachedUnderBothNames() {
        ClientApp a = ClientApp.newProject(portA);
        ClientApp b = a.through(nodeB.port());
        a.server("POST", "/collections", Map.of("name", "notes", "permissions", Map.of("read", List.of("admin"))))
                .expect(201);
        b.call("GET", "/collections/notes/documents", null).expect(401); // B caches the rule of notes
        b.call("GET", "/collections/memos/documents", null).expect(200); // and that memos has none

        a.server("PATCH", "/collections/notes", Map.of("name", "memos")).expect(200);

        await().atMost(NOTIFIED).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(b.call("GET", "/collections/memos/documents", null).status()).isEqualTo(401);
            assertThat(b.call("GET", "/collections/notes/documents", null).status()).isEqualTo(200);
        });
    }

    @Test
    void aHookOnTheOldNameFiresForWritesOnTheNewNameThroughTheOtherNode() {
        Functions functions = Functions.inNewProject(portA);
        ClientApp a = ClientApp.forProject(portA, functions);
        ClientApp b = a.through(nodeB.port());
        String recorder = functions.deploy("""
                def main():
                    e = request.json()
                    db.create_document('hook_log', {'collection': e['collection'], 'document_id': e['document_id']})
                """);
        a.server("POST", "/collections", Map.of("name", "posts")).expect(201);
        functions.owner().post(API + "/projects/" + a.projectId + "/hooks", Map.of("function_id", recorder,
                "collection", "posts", "timing", "after", "events", List.of("documents.create"))).expect(201);
        b.server("POST", "/collections/documents?collection=other", Map.of("data", Map.of("id", "x"))).expect(201);

        a.server("PATCH", "/collections/posts", Map.of("name", "articles")).expect(200);

        await().atMost(NOTIFIED).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            b.server("POST", "/collections/documents?collection=articles", Map.of("data", Map.of())).expect(201);
            assertThat(db.queryForObject("SELECT count(*) FROM executions WHERE project_id = ?::uuid"
                    + " AND trigger = 'hook'", Long.class, a.projectId)).isPositive();
        });
    }

    @Test
    void theOtherNodesPopulateFollowsARelationRewrittenByARename() {
        ClientApp a = ClientApp.newProject(portA);
        ClientApp b = a.through(nodeB.port());
        a.server("POST", "/collections", Map.of("name", "posts", "relations", Map.of("author", "writers")))
                .expect(201);
        a.create("writers", Map.of("id", "w1", "name", "Ada"));
        a.create("posts", Map.of("id", "p1", "author_id", "w1"));
        String populated = "/collections/posts/documents?populate=author";
        assertThat(b.call("GET", populated, null).expect(200).json().get(0).at("/data/author/name").asString())
                .isEqualTo("Ada"); // B keeps the relation of posts: writers

        a.server("PATCH", "/collections/writers", Map.of("name", "staff")).expect(200);

        await().atMost(NOTIFIED).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(
                b.call("GET", populated, null).expect(200).json().get(0).at("/data/author/name").asString())
                .isEqualTo("Ada")); // through the relation now naming staff
    }
}
