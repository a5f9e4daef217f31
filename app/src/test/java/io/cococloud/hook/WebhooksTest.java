package io.cococloud.hook;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.IntegrationTest;

/**
 * CocoBase's collection webhooks (docs/hooks.md#collection-webhooks): signed POSTs with retries, never to internal
 * addresses unless the operator allows them (the test support allows 127.0.0.1, where this test's receiver listens).
 */
@IntegrationTest
class WebhooksTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    HookProject project;
    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();

    record Received(String body, String signature, String event) {}

    @BeforeEach
    void start() throws IOException {
        project = new HookProject(port, jdbc);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Coco-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Coco-Event")));
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private String receiverUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    /** Creates the collection and points its webhook at the receiver; answers the secret shown once. */
    private String webhookOn(String collection) {
        project.server("POST", "/collections/", Map.of("name", collection)).expect(201);
        JsonNode set = project.server("PATCH", "/collections/" + collection, Map.of("webhook_url", receiverUrl()))
                .expect(200).json();
        assertThat(set.get("webhook_url").asString()).isEqualTo(receiverUrl());
        assertThat(set.get("signature_header").asString()).isEqualTo("X-Coco-Signature");
        return set.get("webhook_secret").asString();
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aWebhookIsDeliveredSignedAndRetriedAfterTheReceiverFailedOnce() throws Exception {
        String secret = webhookOn("orders");
        failuresLeft.set(1);

        String id = project.create("orders", Map.of("total", 12));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> received.size() >= 2);
        Received failed = received.get(0);
        Received delivered = received.get(1);
        assertThat(delivered.body()).isEqualTo(failed.body());
        assertThat(delivered.signature()).isEqualTo(hmac(secret, delivered.body()));
        assertThat(delivered.event()).isEqualTo("create");
        JsonNode event = JSON.readTree(delivered.body());
        assertThat(event.get("event_type").asString()).isEqualTo("create");
        assertThat(event.get("document_id").asString()).isEqualTo(id);
        assertThat(event.get("data").get("total").asInt()).isEqualTo(12);
        assertThat(event.get("created_at").asString()).isNotBlank();
        assertThat(event.has("old_data")).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(jdbc.queryForObject(
                "SELECT status FROM webhook_deliveries WHERE project_id = ?::uuid", String.class, project.projectId)));
        assertThat(jdbc.queryForObject("SELECT attempts FROM webhook_deliveries WHERE project_id = ?::uuid",
                Integer.class, project.projectId)).isEqualTo(2);
    }

    @Test
    void anUpdateCarriesTheOldDataAndTheAdminApiShowsTheSameSecret() throws Exception {
        String secret = webhookOn("orders");
        String id = project.create("orders", Map.of("status", "new"));

        project.client("PATCH", "/collections/orders/documents/" + id, Map.of("data", Map.of("status", "paid")))
                .expect(200);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> received.size() >= 2);
        JsonNode update = received.stream().map(r -> JSON.readTree(r.body()))
                .filter(e -> e.get("event_type").asString().equals("update")).findFirst().orElseThrow();
        assertThat(update.get("data").get("status").asString()).isEqualTo("paid");
        assertThat(update.get("old_data").get("status").asString()).isEqualTo("new");
        JsonNode admin = project.owner().get(API + "/projects/" + project.projectId + "/collections/orders/webhook")
                .expect(200).json();
        assertThat(admin.get("secret").asString()).isEqualTo(secret);
        assertThat(received).allSatisfy(r -> assertThat(r.signature()).isEqualTo(hmac(secret, r.body())));
    }

    @Test
    void theSecretIsStoredSealedWithTheMasterKeyNotInClear() {
        String secret = webhookOn("orders");

        String stored = jdbc.queryForObject("SELECT secret FROM collection_webhooks WHERE project_id = ?::uuid"
                + " AND collection = 'orders'", String.class, project.projectId);
        assertThat(stored).doesNotContain(secret).doesNotContain(secret.substring("whsec_".length()));
        assertThat(project.owner().get(API + "/projects/" + project.projectId + "/collections/orders/webhook")
                .expect(200).json().get("secret").asString()).isEqualTo(secret);
    }

    @Test
    void aPrivateOrLinkLocalAddressIsRefusedByDefault() {
        project.server("POST", "/collections/", Map.of("name", "orders")).expect(201);

        for (String url : List.of("http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data",
                "http://192.168.0.10:8080/hook", "http://[::1]:9000/hook")) {
            JsonNode problem = project.server("PATCH", "/collections/orders", Map.of("webhook_url", url)).expect(400)
                    .json();
            assertThat(problem.get("detail").asString()).as(url).contains("internal address")
                    .contains("coco.webhooks.allowed-internal-hosts");
        }
        project.owner().put(API + "/projects/" + project.projectId + "/collections/orders/webhook",
                Map.of("url", "http://10.1.2.3/hook")).expect(400);
        project.owner().get(API + "/projects/" + project.projectId + "/collections/orders/webhook").expect(404);
    }

    @Test
    void aClientKeyCannotSetAWebhook() {
        project.server("POST", "/collections/", Map.of("name", "orders")).expect(201);

        project.client("PATCH", "/collections/orders", Map.of("webhook_url", receiverUrl())).expect(403);
    }

    @Test
    void anotherProjectNeitherSeesTheWebhookNorReceivesItsProjectsEvents() {
        webhookOn("orders");
        HookProject other = new HookProject(port, jdbc);
        other.server("POST", "/collections/", Map.of("name", "orders")).expect(201);

        other.create("orders", Map.of("total", 1));
        other.owner().get(API + "/projects/" + other.projectId + "/collections/orders/webhook").expect(404);
        project.create("orders", Map.of("total", 2));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> received.size() >= 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE project_id = ?::uuid",
                Long.class, other.projectId)).isZero();
        assertThat(received).hasSize(1);
        assertThat(JSON.readTree(received.get(0).body()).get("data").get("total").asInt()).isEqualTo(2);
    }
}
