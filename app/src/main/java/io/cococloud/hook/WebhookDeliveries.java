package io.cococloud.hook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.data.DocumentEvent;

/**
 * Delivers collection webhooks (docs/hooks.md#collection-webhooks): a row per event is stored in the write's
 * transaction; any node claims due rows (SKIP LOCKED, leased for {@link #LEASE}) and POSTs each, signed with the
 * collection's current secret. A 2xx answer delivers it; anything else (another status, a refused address, no
 * answer within 10 s) is tried again after 1 s, 2 s, 4 s ... up to {@code coco.webhooks.attempts} attempts in all.
 */
@Component
class WebhookDeliveries {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);
    /** How long a claimed delivery is left to its node before another may take it (its node died mid-POST). */
    static final Duration LEASE = Duration.ofMinutes(2);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int BATCH = 20;

    private final JdbcClient db;
    private final WebhookService webhooks;
    private final WebhookAddressPolicy policy;
    private final JsonMapper json;
    private final int attempts;
    private final Duration backoff;
    private final Duration retention;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicBoolean running = new AtomicBoolean();

    WebhookDeliveries(JdbcClient db, WebhookService webhooks, WebhookAddressPolicy policy, JsonMapper json,
            @Value("${coco.webhooks.attempts:6}") int attempts,
            @Value("${coco.webhooks.retry-backoff:1s}") Duration backoff,
            @Value("${coco.executions.retention:7d}") Duration retention) {
        this.retention = retention;
        this.db = db;
        this.webhooks = webhooks;
        this.policy = policy;
        this.json = json;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /** CocoBase's event shape: {event_type, document_id, data, created_at, old_data?}. */
    static Map<String, Object> body(DocumentEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_type", event.type().word());
        body.put("collection", event.collection());
        body.put("document_id", event.documentId());
        body.put("data", event.data());
        body.put("created_at", event.at().toString());
        if (event.oldData() != null) {
            body.put("old_data", event.oldData());
        }
        return body;
    }

    /** Stores the delivery in the write's transaction; delivery starts once it commits. */
    void record(String url, DocumentEvent event) {
        db.sql("INSERT INTO webhook_deliveries (project_id, collection, url, body) VALUES (?, ?, ?, ?)")
                .params(event.projectId(), event.collection(), url, json.writeValueAsString(body(event))).update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    Thread.ofVirtual().name("webhook-kick").start(WebhookDeliveries.this::deliverDue);
                }
            });
        }
    }

    private record Claimed(UUID projectId, long id, String collection, String url, String body, int attempt) {}

    /** Delivers what is due; one pass at a time on this node (others may run theirs: rows are claimed). */
    @Scheduled(fixedDelayString = "${coco.webhooks.poll-interval:1s}")
    void deliverDue() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            List<Claimed> claimed;
            do {
                claimed = claim();
                claimed.forEach(this::deliver);
            } while (claimed.size() == BATCH);
        } catch (RuntimeException e) {
            log.warn("Webhook deliveries failed this pass; the next one tries again: {}", e.toString());
        } finally {
            running.set(false);
        }
    }

    /** Finished deliveries are kept as long as execution records, for an admin to see what was sent. */
    @Scheduled(fixedDelayString = "${coco.executions.prune-interval:1h}")
    void prune() {
        try {
            db.sql("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND finished_at < now() - ?::interval")
                    .param(retention.toSeconds() + " seconds").update();
        } catch (RuntimeException e) {
            log.warn("Pruning old webhook deliveries failed; the next run tries again: {}", e.toString());
        }
    }

    private List<Claimed> claim() {
        return db.sql("""
                UPDATE webhook_deliveries w SET attempts = attempts + 1, next_attempt_at = now() + ?::interval
                WHERE (project_id, id) IN (SELECT project_id, id FROM webhook_deliveries
                    WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING project_id, id, collection, url, body, attempts""")
                .params(LEASE.toSeconds() + " seconds", BATCH)
                .query((rs, row) -> new Claimed(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6))).list();
    }

    private void deliver(Claimed delivery) {
        Optional<String> secret = webhooks.secret(delivery.projectId(), delivery.collection());
        if (secret.isEmpty()) {
            finish(delivery, "failed", null, "the collection's webhook was removed");
            return;
        }
        Optional<String> refused = policy.refusal(delivery.url());
        if (refused.isPresent()) {
            failed(delivery, null, refused.get());
            return;
        }
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "CocoCloud-Webhook")
                    .header("X-Coco-Event", eventType(delivery.body()))
                    .header("X-Coco-Delivery", Long.toString(delivery.id()))
                    .header(WebhookService.SIGNATURE_HEADER, signature(secret.get(), delivery.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() >= 200 && answer.statusCode() < 300) {
                finish(delivery, "delivered", answer.statusCode(), null);
            } else {
                failed(delivery, answer.statusCode(), "the receiver answered " + answer.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException | IllegalArgumentException e) {
            failed(delivery, null, "no answer: " + e);
        }
    }

    private String eventType(String body) {
        Object type = json.readValue(body, Map.class).get("event_type");
        return type == null ? "" : type.toString();
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of the body's UTF-8 bytes under the secret. */
    static String signature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private void failed(Claimed delivery, Integer status, String error) {
        if (delivery.attempt() >= attempts) {
            finish(delivery, "failed", status, error);
            return;
        }
        Duration delay = backoff.multipliedBy(1L << Math.min(delivery.attempt() - 1, 16));
        db.sql("UPDATE webhook_deliveries SET next_attempt_at = ?, last_status = ?, last_error = ?"
                + " WHERE project_id = ? AND id = ?")
                .params(Timestamp.from(Instant.now().plus(delay)), status, error, delivery.projectId(), delivery.id())
                .update();
    }

    private void finish(Claimed delivery, String status, Integer httpStatus, String error) {
        db.sql("UPDATE webhook_deliveries SET status = ?, last_status = ?, last_error = ?, finished_at = now()"
                + " WHERE project_id = ? AND id = ?")
                .params(status, httpStatus, error, delivery.projectId(), delivery.id()).update();
    }
}
