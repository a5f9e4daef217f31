package io.cococloud.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.data.ClientApp;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.RealtimeSocketClient;
import tools.jackson.databind.JsonNode;

/**
 * The exchange the Flutter SDK's {@code watchCollection} makes (coco_base_flutter, lib/coco_base_flutter.dart; Dart
 * is not installed here, so it is replayed): it opens {@code <baseURL with http replaced by ws>/realtime/collections/
 * {collection}}, sends {@code jsonEncode({'api_key': apiKey})} at once (no filters, no token), hands each message to
 * the app as {@code {'event': data['event'], 'data': data['data']}}, and closes the sink when the app calls
 * {@code closeConnection}. Its documents are written with the Flutter dialect ({@code POST
 * /collections/{c}/documents}).
 */
@IntegrationTest
class FlutterRealtimeReplayTest {

    @LocalServerPort
    int port;

    @Autowired
    LiveConnections connections;

    /** What the SDK hands to the app's onEvent. */
    private static Map<String, Object> onEvent(JsonNode message) {
        return Map.of("event", message.path("event").asString(""), "data", message.path("data"));
    }

    @Test
    void watchCollectionReceivesConnectedThenEachChangeAsEventAndData() {
        ClientApp app = ClientApp.newProject(port);
        try (RealtimeSocketClient socket = RealtimeSocketClient.open(port, "/realtime/collections/books")) {
            socket.send("{\"api_key\":\"" + app.clientKey + "\"}");
            assertThat(onEvent(socket.next()).get("event")).isEqualTo("connected");

            String id = app.call("POST", "/collections/books/documents", Map.of("data", Map.of("title", "Emma")))
                    .expect(201).json().get("id").asString();
            Map<String, Object> created = onEvent(socket.next());
            assertThat(created.get("event")).isEqualTo("create");
            JsonNode data = (JsonNode) created.get("data");
            assertThat(data.path("id").asString()).isEqualTo(id);
            assertThat(data.path("title").asString()).isEqualTo("Emma");

            app.call("DELETE", "/collections/books/documents/" + id, null).expect(200);
            Map<String, Object> deleted = onEvent(socket.next());
            assertThat(deleted.get("event")).isEqualTo("delete");
            assertThat(((JsonNode) deleted.get("data")).path("id").asString()).isEqualTo(id);
        }
    }

    @Test
    void closeConnectionEndsTheWatchOnTheServer() {
        ClientApp app = ClientApp.newProject(port);
        UUID project = UUID.fromString(app.projectId);
        RealtimeSocketClient socket = RealtimeSocketClient.open(port, "/realtime/collections/books");
        socket.send("{\"api_key\":\"" + app.clientKey + "\"}");
        assertThat(socket.next().path("event").asString()).isEqualTo("connected");
        assertThat(connections.watched(project, "books")).isTrue();

        socket.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> !connections.watched(project, "books"));
    }
}
