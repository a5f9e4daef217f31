package io.cococloud.hook;

import static io.cococloud.support.AdminApi.API;
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

/**
 * The admin API's list of a collection's webhook deliveries (docs/hooks.md#collection-webhooks). The deliveries are
 * stored directly, in the states a receiver's answers leave them in; the pending one is due tomorrow, so no node
 * sends it while the test reads.
 */
@IntegrationTest
class WebhookDeliveriesAdminTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    HookProject project;

    @BeforeEach
    void aCollectionWithAWebhook() {
        project = new HookProject(port, jdbc);
        project.server("POST", "/collections/", Map.of("name", "orders")).expect(201);
        project.server("PATCH", "/collections/orders", Map.of("webhook_url", "http://127.0.0.1:9/hook")).expect(200);
    }

    private String deliveries(HookProject of) {
        return API + "/projects/" + of.projectId + "/collections/orders/webhook/deliveries";
    }

    private void stored(HookProject of, String documentId, String status, int attempts, Integer lastStatus,
            String lastError) {
        jdbc.update("INSERT INTO webhook_deliveries (project_id, collection, url, body, status, attempts,"
                + " next_attempt_at, last_status, last_error, finished_at)"
                + " VALUES (?::uuid, 'orders', 'http://127.0.0.1:9/hook', ?, ?, ?, now() + interval '1 day', ?, ?,"
                + " CASE WHEN ? = 'pending' THEN NULL ELSE now() END)", of.projectId,
                "{\"event_type\": \"create\", \"collection\": \"orders\", \"document_id\": \"" + documentId + "\"}",
                status, attempts, lastStatus, lastError, status);
    }

    private static List<String> documentIds(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(d -> ids.add(d.get("document_id").asString()));
        return ids;
    }

    @Test
    void aViewerSeesTheDeliveriesNewestFirstWithHowEachWent() {
        stored(project, "o-1", "delivered", 1, 200, null);
        stored(project, "o-2", "failed", 6, 503, "the receiver answered 503");
        stored(project, "o-3", "pending", 2, null, "no answer: java.net.ConnectException");
        AdminApi viewer = AdminApi.newAccount(port);
        project.owner().addMember(project.projectId, viewer, "viewer");

        JsonNode list = viewer.get(deliveries(project)).expect(200).json();

        assertThat(documentIds(list)).containsExactly("o-3", "o-2", "o-1");
        JsonNode pending = list.get(0);
        assertThat(pending.get("status").asString()).isEqualTo("pending");
        assertThat(pending.get("attempts").asInt()).isEqualTo(2);
        assertThat(pending.get("last_error").asString()).contains("ConnectException");
        assertThat(pending.get("next_attempt_at").isNull()).isFalse();
        assertThat(pending.get("event_type").asString()).isEqualTo("create");
        JsonNode failed = list.get(1);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("last_status").asInt()).isEqualTo(503);
        assertThat(failed.get("next_attempt_at").isNull()).isTrue();
        assertThat(failed.get("finished_at").isNull()).isFalse();
    }

    @Test
    void limitAndOffsetPageTheList() {
        for (int i = 1; i <= 5; i++) {
            stored(project, "o-" + i, "delivered", 1, 200, null);
        }

        JsonNode page = project.owner().get(deliveries(project) + "?limit=2&offset=1").expect(200).json();

        assertThat(documentIds(page)).containsExactly("o-4", "o-3");
    }

    @Test
    void anotherProjectsDeliveriesToACollectionOfTheSameNameAreNotListed() {
        HookProject other = new HookProject(port, jdbc);
        other.server("POST", "/collections/", Map.of("name", "orders")).expect(201);
        stored(other, "theirs", "delivered", 1, 200, null);
        stored(project, "ours", "delivered", 1, 200, null);

        assertThat(documentIds(project.owner().get(deliveries(project)).expect(200).json())).containsExactly("ours");
        project.owner().get(deliveries(other)).expect(404);
    }

    @Test
    void aLimitOrOffsetOutOfRangeIsA400NamingIt() {
        JsonNode limit = project.owner().get(deliveries(project) + "?limit=0").expect(400).json();
        assertThat(limit.get("field").asString()).isEqualTo("limit");
        JsonNode offset = project.owner().get(deliveries(project) + "?offset=-1").expect(400).json();
        assertThat(offset.get("field").asString()).isEqualTo("offset");
    }

    @Test
    void aCollectionThatDoesNotExistIsA404() {
        project.owner().get(API + "/projects/" + project.projectId + "/collections/nope/webhook/deliveries")
                .expect(404);
    }
}
