package io.cococloud.hook;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cococloud.secret.PreviousMasterKey;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.SecondNode;

/**
 * A webhook made before a master-key rotation (its secret sealed under the previous key) keeps signing after it,
 * and its first read seals it again under the new key, so the previous key is no longer needed for it
 * (docs/hooks.md#collection-webhooks). The rotated server is a second node configured as an operator rotates:
 * the tests' key as its master key, the previous one in {@code coco.secrets.previous-keys}; the tests' own server,
 * which never held the previous key, reads the secret afterwards.
 */
@IntegrationTest
class WebhookSecretRotationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    HttpServer receiver;
    final List<String[]> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String[] {new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("X-Coco-Signature")});
            exchange.sendResponseHeaders(200, -1);
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

    private String storedSecret(String projectId) {
        return jdbc.queryForObject("SELECT secret FROM collection_webhooks WHERE project_id = ?::uuid"
                + " AND collection = 'orders'", String.class, projectId);
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSecretSealedUnderThePreviousKeySignsADeliveryAfterTheRotationAndIsThenSealedUnderTheNewKey()
            throws Exception {
        HookProject project = new HookProject(port, jdbc);
        UUID projectId = UUID.fromString(project.projectId);
        project.server("POST", "/collections/", Map.of("name", "orders")).expect(201);
        String secret = project.server("PATCH", "/collections/orders", Map.of("webhook_url", receiverUrl()))
                .expect(200).json().get("webhook_secret").asString();
        String newKeyId = storedSecret(project.projectId).split("\\.")[0];
        PreviousMasterKey previous = new PreviousMasterKey();
        // as the server stored it while the previous key was its master key
        jdbc.update("UPDATE collection_webhooks SET secret = ? WHERE project_id = ?::uuid AND collection = 'orders'",
                previous.seal(projectId, "webhook:orders", secret), project.projectId);
        String body = "{\"event_type\":\"create\",\"collection\":\"orders\",\"document_id\":\"o-1\","
                + "\"data\":{\"total\":12},\"created_at\":\"2026-12-01T06:00:00Z\"}";
        // due tomorrow: no node's poller takes it; the rotated node is handed it below
        Long id = jdbc.queryForObject("INSERT INTO webhook_deliveries (project_id, collection, url, body,"
                + " next_attempt_at) VALUES (?::uuid, 'orders', ?, ?, now() + interval '1 day') RETURNING id",
                Long.class, project.projectId, receiverUrl(), body);

        try (SecondNode rotated = SecondNode.start(Map.of("coco.secrets.previous-keys", previous.base64(),
                "coco.webhooks.allowed-internal-hosts", "127.0.0.1"))) {
            rotated.context().getBean(WebhookDeliveries.class)
                    .deliver(new WebhookDeliveries.Claimed(projectId, id, "orders", receiverUrl(), body, 1));
        }

        assertThat(received).hasSize(1);
        assertThat(received.get(0)[0]).isEqualTo(body);
        assertThat(received.get(0)[1]).isEqualTo(hmac(secret, body));
        assertThat(jdbc.queryForObject("SELECT status FROM webhook_deliveries WHERE project_id = ?::uuid AND id = ?",
                String.class, project.projectId, id)).isEqualTo("delivered");
        assertThat(storedSecret(project.projectId)).startsWith(newKeyId + ".").doesNotStartWith(previous.id() + ".");
        // the tests' server never held the previous key: it reads the secret now
        assertThat(project.owner().get(API + "/projects/" + project.projectId + "/collections/orders/webhook")
                .expect(200).json().get("secret").asString()).isEqualTo(secret);
    }
}
