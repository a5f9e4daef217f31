package io.cococloud.hook;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.cluster.CoherentCache;
import io.cococloud.data.CollectionWebhooks;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.project.ProjectDeleted;
import io.cococloud.secret.SealedText;

/**
 * Collections' webhooks (docs/hooks.md#collection-webhooks): their URLs and secrets, cached per project on every
 * node like the hooks, so a write asks memory whether its collection has one. Secrets are stored sealed with the
 * server's master key ({@link SealedText}): the server must read them to sign, so they cannot be hashed, and a
 * database dump alone must not let anyone forge a delivery.
 */
@Service
class WebhookService implements CollectionWebhooks {

    /** The header carrying {@code sha256=<hex of HMAC-SHA256(secret, body)>}. */
    static final String SIGNATURE_HEADER = "X-Coco-Signature";

    private final JdbcClient db;
    private final ApplicationEventPublisher events;
    private final WebhookAddressPolicy policy;
    private final CoherentCache<UUID, Map<String, String>> urls;
    private final SealedText sealed;
    private final SecureRandom random = new SecureRandom();

    WebhookService(JdbcClient db, ApplicationEventPublisher events, WebhookAddressPolicy policy,
            ClusterProperties cluster, SealedText sealed) {
        this.db = db;
        this.sealed = sealed;
        this.events = events;
        this.policy = policy;
        this.urls = new CoherentCache<>(cluster, HookService.MAX_PROJECTS);
    }

    /** A webhook as the admin API shows it to the project's admins, secret included. */
    record View(String collection, String url, String secret,
            @JsonProperty("signature_header") String signatureHeader,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {}

    /** The webhook URL of each collection of the project that has one. */
    Map<String, String> of(UUID projectId) {
        return urls.get(projectId, project -> db.sql("SELECT collection, url FROM collection_webhooks"
                + " WHERE project_id = ?").param(project)
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** The secret deliveries are signed with now; empty when the webhook was removed. */
    Optional<String> secret(UUID projectId, String collection) {
        return db.sql("SELECT secret FROM collection_webhooks WHERE project_id = ? AND collection = ?")
                .params(projectId, collection).query(String.class).optional()
                .map(stored -> opened(projectId, collection, stored));
    }

    /** The stored secret in clear; sealed again under the current key if an older one sealed it (a rotation). */
    private String opened(UUID projectId, String collection, String stored) {
        String secret = sealed.open(projectId, purpose(collection), stored);
        if (sealed.underOlderKey(stored)) {
            db.sql("UPDATE collection_webhooks SET secret = ? WHERE project_id = ? AND collection = ? AND secret = ?")
                    .params(sealed.seal(projectId, purpose(collection), secret), projectId, collection, stored)
                    .update();
        }
        return secret;
    }

    /** What a webhook's secret is sealed for: it opens for this project and collection only. */
    static String purpose(String collection) {
        return "webhook:" + collection;
    }

    @Override
    @Transactional
    public Optional<Webhook> set(UUID projectId, String collection, String url) {
        if (url == null || url.isBlank()) {
            db.sql("DELETE FROM collection_webhooks WHERE project_id = ? AND collection = ?")
                    .params(projectId, collection).update();
            changed(projectId);
            return Optional.empty();
        }
        String clean = url.strip();
        policy.refusal(clean).ifPresent(why -> {
            throw InvalidInputException.atField("webhook_url", why);
        });
        String secret = newSecret();
        // xmax = 0: the row was inserted, not updated, so its secret is the new one and is shown this once
        Boolean made = db.sql("""
                INSERT INTO collection_webhooks (project_id, collection, url, secret) VALUES (?, ?, ?, ?)
                ON CONFLICT (project_id, collection) DO UPDATE SET url = excluded.url, updated_at = now()
                RETURNING (xmax = 0)""").params(projectId, collection, clean,
                sealed.seal(projectId, purpose(collection), secret)).query(Boolean.class).single();
        changed(projectId);
        return Optional.of(new Webhook(clean, Boolean.TRUE.equals(made) ? Optional.of(secret) : Optional.empty()));
    }

    Optional<View> view(UUID projectId, String collection) {
        return db.sql("SELECT collection, url, secret, created_at, updated_at FROM collection_webhooks"
                + " WHERE project_id = ? AND collection = ?").params(projectId, collection)
                .query((rs, row) -> new View(rs.getString(1), rs.getString(2),
                        opened(projectId, collection, rs.getString(3)), SIGNATURE_HEADER,
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant())).optional();
    }

    /** A new secret for the webhook (the old one stops signing at once); shown in the answer. */
    @Transactional
    View rotate(UUID projectId, String collection) {
        if (db.sql("UPDATE collection_webhooks SET secret = ?, updated_at = now() WHERE project_id = ?"
                + " AND collection = ?").params(sealed.seal(projectId, purpose(collection), newSecret()),
                        projectId, collection)
                .update() == 0) {
            throw new NotFoundException("Collection " + collection + " has no webhook");
        }
        changed(projectId);
        return view(projectId, collection).orElseThrow();
    }

    /** 32 random bytes, hex, with a prefix that tells what it is when it turns up in a log or a paste. */
    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "whsec_" + HexFormat.of().formatHex(bytes);
    }

    private void changed(UUID projectId) {
        urls.evict(projectId);
        events.publishEvent(new WebhooksChanged(projectId));
    }

    @TransactionalEventListener(fallbackExecution = true)
    void webhooksChanged(WebhooksChanged event) {
        urls.evict(event.projectId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        urls.evict(event.projectId());
    }

    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        urls.evictAll();
    }
}
