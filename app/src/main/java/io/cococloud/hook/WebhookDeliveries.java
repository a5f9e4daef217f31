package io.cococloud.hook;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.data.DocumentEvent;
import io.cococloud.project.ProjectDeleted;
import io.cococloud.secret.UnreadableSecretException;

/**
 * Delivers collection webhooks (docs/hooks.md#collection-webhooks): a row per event is stored in the write's
 * transaction; any node claims due rows (SKIP LOCKED, leased for {@link #LEASE}) and POSTs each, signed with the
 * collection's current secret. A 2xx answer delivers it; anything else (another status, a refused address, no
 * answer within 10 s) is tried again after 1 s, 2 s, 4 s ... up to {@code coco.webhooks.attempts} attempts in all.
 * <p>
 * Fair between projects (docs/hooks.md#fairness), because one project's flood at a slow or failing receiver must not
 * delay another's deliveries: deliveries run in parallel, at most {@code coco.webhooks.project-concurrency} of one
 * project at once on a node (and {@code coco.webhooks.concurrency} in all); a claim takes the projects' turns round
 * by round (each project's oldest due delivery first, then each one's second ...) and never more of a project than
 * it may still start; and a project has at most {@code coco.webhooks.max-pending} deliveries waiting: past that a
 * new one is dropped, counted ({@link #DROPPED}) and logged once a minute per project.
 */
@Component
class WebhookDeliveries {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);
    /** How long a claimed delivery is left to its node before another may take it (its node died mid-POST). */
    static final Duration LEASE = Duration.ofMinutes(2);
    /** Counter, tagged with the project, of deliveries not stored because the project had too many pending. */
    static final String DROPPED = "cococloud.webhooks.dropped";

    private final JdbcClient db;
    private final WebhookService webhooks;
    private final WebhookSender sender;
    private final JsonMapper json;
    private final int attempts;
    private final Duration backoff;
    private final Duration retention;
    private final int maxPending;
    private final int projectConcurrency;
    private final int concurrency;
    private final MeterRegistry registry;
    /** Deliveries running on this node, per project; a project is absent when none runs. */
    private final Map<UUID, Integer> inFlight = new ConcurrentHashMap<>();
    /** Projects whose dropped deliveries were logged in the last minute: a flood must not flood the log too. */
    private final Cache<UUID, Boolean> warned = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1))
            .maximumSize(10_000).build();
    private final AtomicBoolean running = new AtomicBoolean();
    /** Set by whoever wants a pass while one runs (a commit, a delivery that ended): the running pass goes again. */
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean closed;

    WebhookDeliveries(JdbcClient db, WebhookService webhooks, WebhookSender sender, JsonMapper json,
            MeterRegistry registry,
            @Value("${coco.webhooks.attempts:6}") int attempts,
            @Value("${coco.webhooks.retry-backoff:1s}") Duration backoff,
            @Value("${coco.executions.retention:7d}") Duration retention,
            @Value("${coco.webhooks.max-pending:10000}") int maxPending,
            @Value("${coco.webhooks.project-concurrency:4}") int projectConcurrency,
            @Value("${coco.webhooks.concurrency:32}") int concurrency) {
        this.retention = retention;
        this.registry = registry;
        this.maxPending = maxPending;
        this.projectConcurrency = Math.max(1, projectConcurrency);
        this.concurrency = Math.max(1, concurrency);
        this.db = db;
        this.webhooks = webhooks;
        this.sender = sender;
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

    /**
     * Stores the delivery in the write's transaction; delivery starts once it commits. A project that already has
     * {@code coco.webhooks.max-pending} pending deliveries gets none stored (the write itself goes through): its
     * receiver is not keeping up, and an unbounded backlog would cost every project. Two writes at once may both
     * see one place left, so the bound may be passed by a few.
     */
    void record(String url, DocumentEvent event) {
        int stored = db.sql("""
                INSERT INTO webhook_deliveries (project_id, collection, url, body)
                SELECT ?, ?, ?, ? WHERE (SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries
                    WHERE project_id = ? AND status = 'pending' LIMIT ?) pending) < ?""")
                .params(event.projectId(), event.collection(), url, json.writeValueAsString(body(event)),
                        event.projectId(), maxPending, maxPending).update();
        if (stored == 0) {
            dropped(event.projectId(), event.collection());
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    Thread.ofVirtual().name("webhook-kick").start(WebhookDeliveries.this::deliverDue);
                }
            });
        }
    }

    private void dropped(UUID projectId, String collection) {
        Counter.builder(DROPPED).tag("project", projectId.toString())
                .description("Webhook deliveries not stored because the project had coco.webhooks.max-pending"
                        + " pending already")
                .register(registry).increment();
        if (warned.asMap().putIfAbsent(projectId, Boolean.TRUE) == null) {
            log.warn("Project {} has {} webhook deliveries pending (coco.webhooks.max-pending): new ones (collection"
                    + " {} and others) are dropped until its receivers catch up; counted in {}, logged once a minute",
                    projectId, maxPending, collection, DROPPED);
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        registry.find(DROPPED).tag("project", event.projectId().toString()).meters().forEach(registry::remove);
        warned.invalidate(event.projectId());
    }

    record Claimed(UUID projectId, long id, String collection, String url, String body, int attempt) {}

    /**
     * Starts what is due, as far as this node's limits allow; one pass at a time on this node (others run theirs:
     * rows are claimed). A call while a pass runs makes that pass go once more, so a delivery that ended or a
     * commit is never left for the next poll.
     */
    @Scheduled(fixedDelayString = "${coco.webhooks.poll-interval:1s}")
    void deliverDue() {
        again.set(true);
        while (!closed && again.get() && running.compareAndSet(false, true)) {
            try {
                again.set(false);
                startDue();
            } catch (RuntimeException e) {
                log.warn("Webhook deliveries failed this pass; the next one tries again: {}", e.toString());
            } finally {
                running.set(false);
            }
        }
    }

    @PreDestroy
    void close() {
        closed = true;
    }

    private void startDue() {
        while (!closed) {
            int room = concurrency - inFlight.values().stream().mapToInt(Integer::intValue).sum();
            if (room <= 0) {
                return;
            }
            List<Claimed> claimed = claim(Instant.now(), Map.copyOf(inFlight), room);
            claimed.forEach(this::start);
            if (claimed.size() < room) {
                return;
            }
        }
    }

    private void start(Claimed delivery) {
        inFlight.merge(delivery.projectId(), 1, Integer::sum);
        Thread.ofVirtual().name("webhook-delivery-" + delivery.id()).start(() -> {
            try {
                deliver(delivery);
            } catch (RuntimeException e) {
                log.warn("Webhook delivery {} of project {} failed; it is tried again when its lease ends: {}",
                        delivery.id(), delivery.projectId(), e.toString());
            } finally {
                inFlight.computeIfPresent(delivery.projectId(), (project, n) -> n <= 1 ? null : n - 1);
                deliverDue();
            }
        });
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

    /**
     * Claims up to {@code limit} deliveries due at {@code now}, fairly: each project's due deliveries are ranked
     * oldest first, no project gets more than it may still start here ({@code coco.webhooks.project-concurrency}
     * less what it has {@code running} on this node), and the first of every project come before the second of any.
     * Window functions cannot be locked FOR UPDATE, so the ranked ids are locked in an outer select that checks
     * again that each is pending and due (another node may have taken it meanwhile) and skips those locked.
     *
     * @param running deliveries each project has in flight on this node
     */
    List<Claimed> claim(Instant now, Map<UUID, Integer> running, int limit) {
        Map<String, Integer> busy = new LinkedHashMap<>();
        running.forEach((project, n) -> busy.put(project.toString(), n));
        Timestamp at = Timestamp.from(now);
        return db.sql("""
                WITH busy AS (
                    SELECT key::uuid AS project_id, value::int AS running FROM jsonb_each_text(?::jsonb)
                ), due AS (
                    SELECT project_id, id, next_attempt_at,
                           row_number() OVER (PARTITION BY project_id ORDER BY next_attempt_at, id) AS turn
                    FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
                ), picked AS (
                    SELECT due.project_id, due.id FROM due LEFT JOIN busy ON busy.project_id = due.project_id
                    WHERE due.turn <= ? - coalesce(busy.running, 0)
                    ORDER BY due.turn, due.next_attempt_at LIMIT ?
                ), locked AS (
                    SELECT w.project_id, w.id FROM webhook_deliveries w
                    WHERE (w.project_id, w.id) IN (SELECT project_id, id FROM picked)
                      AND w.status = 'pending' AND w.next_attempt_at <= ?
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE webhook_deliveries w SET attempts = w.attempts + 1, next_attempt_at = ?
                FROM locked WHERE w.project_id = locked.project_id AND w.id = locked.id
                RETURNING w.project_id, w.id, w.collection, w.url, w.body, w.attempts""")
                .params(json.writeValueAsString(busy), at, projectConcurrency, limit, at,
                        Timestamp.from(now.plus(LEASE)))
                .query((rs, row) -> new Claimed(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6))).list();
    }

    /** One attempt of a claimed delivery; records its outcome. */
    void deliver(Claimed delivery) {
        Optional<String> secret;
        try {
            secret = webhooks.secret(delivery.projectId(), delivery.collection());
        } catch (UnreadableSecretException e) {
            // under a master key this node does not hold (a rotation half configured): another try may find it
            failed(delivery, null, e.getMessage());
            return;
        }
        if (secret.isEmpty()) {
            finish(delivery, "failed", null, "the collection's webhook was removed");
            return;
        }
        // The address is checked when the sender connects (resolved once, every address checked, the connection
        // made to those): a name that now resolves to an internal address is refused, however it resolved before.
        try {
            int status = sender.post(delivery.url(), Map.of(
                    "User-Agent", "CocoCloud-Webhook",
                    "X-Coco-Event", eventType(delivery.body()),
                    "X-Coco-Delivery", Long.toString(delivery.id()),
                    WebhookService.SIGNATURE_HEADER, signature(secret.get(), delivery.body())), delivery.body());
            if (status >= 200 && status < 300) {
                finish(delivery, "delivered", status, null);
            } else {
                failed(delivery, status, "the receiver answered " + status);
            }
        } catch (WebhookAddressPolicy.InternalAddressException e) {
            failed(delivery, null, e.getMessage());
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
