package io.cococloud.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cococloud.data.ClientApp;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.RealtimeSocketClient;

/**
 * The lease rows that tell every node what is watched: a node that could not renew its rows in time (its database
 * connection was down, say) and found them swept by another node writes them again, and its watchers get events
 * again. The renewal is called here directly rather than waited for.
 */
@IntegrationTest
class ConnectionLeasesTest {

    @LocalServerPort
    int port;

    @Autowired
    LiveConnections connections;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void rowsSweptWhileTheirSocketsLiveAreWrittenAgainAtTheNextRenewal() {
        ClientApp app = ClientApp.newProject(port);
        UUID project = UUID.fromString(app.projectId);
        try (RealtimeSocketClient socket = RealtimeSocketClient.open(port, "/realtime/collections/posts")) {
            socket.send(Map.of("api_key", app.clientKey));
            assertThat(socket.next().path("event").asString()).isEqualTo("connected");

            jdbc.update("DELETE FROM realtime_connections WHERE project_id = ?", project); // as another node's sweep
            connections.watchesChanged(new RealtimeWatchesChanged(project));
            assertThat(connections.watched(project, "posts")).isFalse();

            connections.renewLeases();

            assertThat(connections.watched(project, "posts")).isTrue();
            String id = app.create("posts", Map.of("title", "after"));
            assertThat(socket.next().path("data").path("id").asString()).isEqualTo(id);
        }
    }
}
