package io.cococloud.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.data.ClientApp;
import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.RealtimeSocketClient;
import io.cococloud.support.SecondNode;
import tools.jackson.databind.JsonNode;

/**
 * {@code /realtime/collections/{name}}: CocoBase's handshake, the changes a watcher receives (in order, filtered, only
 * what it may read), and changes made through another server instance on the same database (node B, started here
 * with a short authentication timeout, a short send queue and room for two sockets per project).
 */
@IntegrationTest
class CollectionWatchTest {

    private static SecondNode nodeB;

    @LocalServerPort
    int port;

    ClientApp app;

    @BeforeAll
    static void startNodeB() {
        nodeB = SecondNode.start(Map.of("coco.realtime.auth-timeout", "2s", "coco.realtime.send-queue", "8",
                "coco.realtime.max-connections-per-project", "2"));
    }

    @AfterAll
    static void stopNodeB() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @BeforeEach
    void project() {
        app = ClientApp.newProject(port);
    }

    private RealtimeSocketClient watch(int onPort, String collection, Map<String, Object> first) {
        RealtimeSocketClient socket = RealtimeSocketClient.open(onPort, "/realtime/collections/" + collection);
        socket.send(first);
        return socket;
    }

    private RealtimeSocketClient connected(int onPort, String collection, Map<String, Object> first) {
        RealtimeSocketClient socket = watch(onPort, collection, first);
        JsonNode connected = socket.next();
        assertThat(connected.path("event").asString()).as(connected.toString()).isEqualTo("connected");
        return socket;
    }

    @Test
    void aWatcherReceivesCreateUpdateAndDeleteInOrder() {
        try (RealtimeSocketClient socket = connected(port, "posts", Map.of("api_key", app.clientKey))) {
            String id = app.create("posts", Map.of("title", "one", "status", "draft"));
            app.call("PATCH", "/collections/posts/documents/" + id, Map.of("data", Map.of("status", "live")))
                    .expect(200);
            app.call("DELETE", "/collections/posts/documents/" + id, null).expect(200);

            JsonNode created = socket.next();
            assertThat(created.path("event").asString()).isEqualTo("create");
            assertThat(created.path("collection_id").asString()).isEqualTo("posts");
            assertThat(created.path("data").path("id").asString()).isEqualTo(id);
            assertThat(created.path("data").path("title").asString()).isEqualTo("one");

            JsonNode updated = socket.next();
            assertThat(updated.path("event").asString()).isEqualTo("update");
            assertThat(updated.path("data").path("status").asString()).isEqualTo("live");
            assertThat(updated.path("old_data").path("status").asString()).isEqualTo("draft");

            JsonNode deleted = socket.next();
            assertThat(deleted.path("event").asString()).isEqualTo("delete");
            assertThat(deleted.path("data").path("id").asString()).isEqualTo(id);
        }
    }

    @Test
    void theConnectedAnswerNamesTheCollectionAndEchoesTheFilters() {
        try (RealtimeSocketClient socket = watch(port, "posts", Map.of("api_key", app.clientKey, "filters",
                Map.of("status", "published")))) {
            JsonNode connected = socket.next();
            assertThat(connected.path("event").asString()).isEqualTo("connected");
            assertThat(connected.path("collection_id").asString()).isEqualTo("posts");
            assertThat(connected.path("filters").path("status").asString()).isEqualTo("published");
        }
    }

    @Test
    void onlyChangesMatchingTheFiltersArrive() {
        try (RealtimeSocketClient socket = connected(port, "posts", Map.of("api_key", app.clientKey, "filters",
                Map.of("status", "published", "views_gte", "100")))) {
            app.create("posts", Map.of("title", "draft", "status", "draft", "views", 500));
            app.create("posts", Map.of("title", "few views", "status", "published", "views", 5));
            String match = app.create("posts", Map.of("title", "match", "status", "published", "views", 100));

            JsonNode first = socket.next();
            assertThat(first.path("event").asString()).isEqualTo("create");
            assertThat(first.path("data").path("id").asString()).isEqualTo(match);
        }
    }

    @Test
    void anUpdateThatTakesADocumentOutOfTheFilterIsStillSeen() {
        String id = app.create("posts", Map.of("status", "published"));
        try (RealtimeSocketClient socket = connected(port, "posts", Map.of("api_key", app.clientKey, "filters",
                Map.of("status", "published")))) {
            app.call("PATCH", "/collections/posts/documents/" + id, Map.of("data", Map.of("status", "hidden")))
                    .expect(200);
            JsonNode updated = socket.next();
            assertThat(updated.path("event").asString()).isEqualTo("update");
            assertThat(updated.path("data").path("status").asString()).isEqualTo("hidden");
        }
    }

    @Test
    void aCollectionWhoseReadRuleNeedsARoleRefusesAnAnonymousWatcher() {
        app.server("POST", "/collections/", Map.of("name", "secrets", "permissions",
                Map.of("read", List.of("editor")))).expect(201);
        try (RealtimeSocketClient socket = watch(port, "secrets", Map.of("api_key", app.clientKey))) {
            assertThat(socket.next().path("error").asString()).isEqualTo("Collection not found or access denied");
            assertThat(socket.closeCode()).isEqualTo(4403);
        }
    }

    @Test
    void aUserWithTheReadRoleWatchesWithTheirAccessToken() {
        app.server("POST", "/collections/", Map.of("name", "secrets", "permissions",
                Map.of("read", List.of("editor")))).expect(201);
        String editor = app.signUp("editor");
        try (RealtimeSocketClient socket = connected(port, "secrets", Map.of("api_key", app.clientKey,
                "access_token", editor))) {
            String id = app.server("POST", "/collections/documents?collection=secrets",
                    Map.of("data", Map.of("s", 1))).expect(201).json().get("id").asString();
            assertThat(socket.next().path("data").path("id").asString()).isEqualTo(id);
        }
    }

    private void readRule(String collection, List<String> roles) {
        app.owner.patch(AdminApi.API + "/projects/" + app.projectId + "/collections/" + collection,
                Map.of("permissions", Map.of("read", roles))).expect(200);
    }

    @Test
    void aWatcherStopsReceivingWhenTheReadRuleNoLongerAllowsIt() {
        String editor = app.signUp("editor");
        try (RealtimeSocketClient anonymous = connected(port, "notes", Map.of("api_key", app.clientKey));
                RealtimeSocketClient editing = connected(port, "notes", Map.of("api_key", app.clientKey,
                        "access_token", editor))) {
            app.create("notes", Map.of("n", 0)); // creates the collection's row
            assertThat(anonymous.next().path("data").path("n").asInt()).isZero();
            assertThat(editing.next().path("data").path("n").asInt()).isZero();

            readRule("notes", List.of("editor"));
            app.server("POST", "/collections/documents?collection=notes", Map.of("data", Map.of("n", 1)))
                    .expect(201);
            // the rule is checked for all watchers of an event at once, before any is sent: once the editor has
            // event 1, whether the anonymous watcher gets it was decided under the rule that needs a role
            assertThat(editing.next().path("data").path("n").asInt()).isEqualTo(1);

            readRule("notes", List.of());
            app.server("POST", "/collections/documents?collection=notes", Map.of("data", Map.of("n", 2)))
                    .expect(201);
            assertThat(anonymous.next().path("data").path("n").asInt()).isEqualTo(2);
        }
    }

    @Test
    void anotherProjectsWritesNeverReachAWatcher() {
        ClientApp other = ClientApp.newProject(port);
        try (RealtimeSocketClient socket = connected(port, "posts", Map.of("api_key", app.clientKey))) {
            other.create("posts", Map.of("from", "other"));
            app.create("posts", Map.of("from", "mine"));
            assertThat(socket.next().path("data").path("from").asString()).isEqualTo("mine");
        }
    }

    @Test
    void aChangeMadeThroughAnotherNodeReachesTheWatcher() {
        LiveConnections onB = nodeB.context().getBean(LiveConnections.class);
        try (RealtimeSocketClient socket = connected(port, "posts", Map.of("api_key", app.clientKey, "filters",
                Map.of("status", "published")))) {
            // the watch is announced to B through PostgreSQL: wait until B knows it, then write through B
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> onB.watched(UUID.fromString(app.projectId), "posts"));
            ClientApp throughB = app.through(nodeB.port());
            throughB.create("posts", Map.of("title", "draft", "status", "draft"));
            String published = throughB.create("posts", Map.of("title", "news", "status", "published"));

            JsonNode event = socket.next();
            assertThat(event.path("event").asString()).isEqualTo("create");
            assertThat(event.path("data").path("id").asString()).isEqualTo(published);
        }
    }

    @Test
    void aWriteThroughAnotherNodeReachesOnlyTheWatchersTheReadRuleAllows() {
        LiveConnections onB = nodeB.context().getBean(LiveConnections.class);
        String editor = app.signUp("editor");
        try (RealtimeSocketClient anonymous = connected(port, "notes", Map.of("api_key", app.clientKey));
                RealtimeSocketClient editing = connected(port, "notes", Map.of("api_key", app.clientKey,
                        "access_token", editor))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> onB.watched(UUID.fromString(app.projectId), "notes"));
            ClientApp throughB = app.through(nodeB.port());
            throughB.server("POST", "/collections/documents?collection=notes", Map.of("data", Map.of("n", 0)))
                    .expect(201);
            assertThat(anonymous.next().path("data").path("n").asInt()).isZero();
            assertThat(editing.next().path("data").path("n").asInt()).isZero();

            readRule("notes", List.of("editor")); // through this node, which drops its cached rule before answering
            throughB.server("POST", "/collections/documents?collection=notes", Map.of("data", Map.of("n", 1)))
                    .expect(201);
            assertThat(editing.next().path("data").path("n").asInt()).isEqualTo(1);

            readRule("notes", List.of());
            throughB.server("POST", "/collections/documents?collection=notes", Map.of("data", Map.of("n", 2)))
                    .expect(201);
            assertThat(anonymous.next().path("data").path("n").asInt()).isEqualTo(2);
        }
    }

    @Test
    void anUnknownKeyIsRefusedWithTheReason() {
        try (RealtimeSocketClient socket = watch(port, "posts", Map.of("api_key", "coco_nope"))) {
            assertThat(socket.next().path("error").asString()).isEqualTo("Invalid API key");
            assertThat(socket.closeCode()).isEqualTo(4401);
        }
    }

    @Test
    void aMissingKeyIsRefused() {
        try (RealtimeSocketClient socket = watch(port, "posts", Map.of("filters", Map.of()))) {
            assertThat(socket.next().path("error").asString()).isEqualTo("API key is required");
            assertThat(socket.closeCode()).isEqualTo(4401);
        }
    }

    @Test
    void aFilterTheQueryLanguageRefusesIsRefusedWithItsReason() {
        try (RealtimeSocketClient socket = watch(port, "posts", Map.of("api_key", app.clientKey, "filters",
                Map.of("views__between", "1")))) {
            assertThat(socket.next().path("error").asString()).contains("between");
            assertThat(socket.closeCode()).isEqualTo(4400);
        }
    }

    @Test
    void aFirstMessageThatIsNotJsonIsRefused() {
        try (RealtimeSocketClient socket = RealtimeSocketClient.open(port, "/realtime/collections/posts")) {
            socket.send("hello");
            assertThat(socket.next().path("error").asString()).contains("JSON object");
            assertThat(socket.closeCode()).isEqualTo(4400);
        }
    }

    @Test
    void aSocketThatSendsNoCredentialsIsClosedAfterTheTimeout() {
        try (RealtimeSocketClient socket = RealtimeSocketClient.open(nodeB.port(), "/realtime/collections/posts")) {
            assertThat(socket.next().path("error").asString()).startsWith("Authentication timeout");
            assertThat(socket.closeCode()).isEqualTo(4408);
        }
    }

    @Test
    void pingIsAnsweredInBothForms() {
        try (RealtimeSocketClient socket = connected(port, "posts", Map.of("api_key", app.clientKey))) {
            socket.send(Map.of("type", "ping"));
            assertThat(socket.next().path("type").asString()).isEqualTo("pong");
            socket.send("ping");
            assertThat(socket.nextText()).isEqualTo("pong");
        }
    }

    @Test
    void aPageOnAnOriginTheProjectDoesNotAllowIsRefused() {
        app.owner.put(AdminApi.API + "/projects/" + app.projectId + "/cors",
                Map.of("allowed_origins", List.of("https://app.example"))).expect(200);
        try (RealtimeSocketClient socket = RealtimeSocketClient.open(port, "/realtime/collections/posts",
                Map.of("Origin", "https://evil.example"))) {
            socket.send(Map.of("api_key", app.clientKey));
            assertThat(socket.next().path("error").asString()).contains("https://evil.example");
            assertThat(socket.closeCode()).isEqualTo(4403);
        }
    }

    @Test
    void aReaderThatFallsBehindIsDroppedWhileAnotherWatcherGetsEverything() {
        LiveConnections onB = nodeB.context().getBean(LiveConnections.class);
        ClientApp throughB = app.through(nodeB.port());
        int documents = 40;
        String big = "x".repeat(400 * 1024); // 40 events of 400 KB: far more than the sockets' buffers hold
        try (RealtimeSocketClient slow = connected(nodeB.port(), "posts", Map.of("api_key", app.clientKey));
                RealtimeSocketClient fast = connected(nodeB.port(), "posts", Map.of("api_key", app.clientKey))) {
            slow.stopReading();
            UUID project = UUID.fromString(app.projectId);
            for (int n = 0; n < documents; n++) {
                throughB.create("posts", Map.of("n", n, "body", big));
            }
            for (int n = 0; n < documents; n++) {
                assertThat(fast.next().path("data").path("n").asInt()).isEqualTo(n);
            }
            // the slow one's queue overflowed: it is closed and forgotten (its close may wait for the blocked write)
            await().atMost(Duration.ofSeconds(90)).until(() -> onB.subscribers(project, "collection:posts").size() == 1);
        }
    }

    @Test
    void aProjectMayHaveOnlyItsShareOfSockets() {
        try (RealtimeSocketClient one = connected(nodeB.port(), "a", Map.of("api_key", app.clientKey));
                RealtimeSocketClient two = connected(port, "b", Map.of("api_key", app.clientKey));
                RealtimeSocketClient three = watch(nodeB.port(), "c", Map.of("api_key", app.clientKey))) {
            assertThat(three.next().path("error").asString()).startsWith("Too many realtime connections");
            assertThat(three.closeCode()).isEqualTo(4429);
        }
    }
}
