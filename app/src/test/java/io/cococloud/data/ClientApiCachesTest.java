package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * A warm client-API read reads the documents only: the key and the collection's permissions come from memory until
 * a change is announced (issue 14 §1: 3 statements before, 1 after). Shown by changing the rows behind the caches'
 * back (no announcement): the answers follow the cached rows until the cluster event for them is published.
 */
@IntegrationTest
class ClientApiCachesTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient db;
    @Autowired
    ApplicationEventPublisher events;

    @Test
    void theKeyAndThePermissionsOfAWarmReadComeFromMemoryUntilAChangeIsAnnounced() {
        ClientApp app = ClientApp.newProject(port);
        UUID project = UUID.fromString(app.projectId);
        app.server("POST", "/collections/", Map.of("name", "notes")).expect(201);
        app.call("GET", "/collections/notes/documents", null).expect(200); // warm: key and permissions read once

        // restricted and the client key deleted, but nobody said so: the cached rows still answer
        db.sql("UPDATE collections SET permissions = '{\"read\": [\"editor\"]}'::jsonb WHERE project_id = ?")
                .param(project).update();
        db.sql("DELETE FROM api_keys WHERE project_id = ? AND kind = 'client'").param(project).update();
        app.call("GET", "/collections/notes/documents", null).expect(200);

        events.publishEvent(new CollectionPermissionsChanged(project, "notes"));
        assertThat(app.call("GET", "/collections/notes/documents", null).expect(401).json().get("detail")
                .asString()).startsWith("Sign in to read"); // the rule is read anew; the key still from memory

        db.sql("UPDATE collections SET permissions = '{}'::jsonb WHERE project_id = ?").param(project).update();
        events.publishEvent(new CollectionPermissionsChanged(project, "notes"));
        app.call("GET", "/collections/notes/documents", null).expect(200);

        // revoking another key of the project announces a key change: the deleted one is looked up, and is gone
        String base = AdminApi.API + "/projects/" + project + "/keys";
        String serverKeyId = null;
        for (JsonNode key : app.owner.get(base).expect(200).json()) {
            if (key.get("kind").asString().equals("server")) {
                serverKeyId = key.get("id").asString();
            }
        }
        app.owner.delete(base + "/" + serverKeyId).expect(204);
        assertThat(app.call("GET", "/collections/notes/documents", null).expect(401).json().get("detail")
                .asString()).contains("unknown or has been revoked");
    }
}
