package io.cococloud.project;

import java.util.List;
import java.util.Optional;
import java.util.HexFormat;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.cluster.CoherentCache;
import io.cococloud.error.NotFoundException;
import io.cococloud.token.OpaqueTokens;

/**
 * A project's API keys. A key embeds its project's id ({@code coco_ck_<project hex>_<random>}),
 * so it is looked up by (project_id, hash) like every other tenant row; only the hash is stored. A client-API call
 * resolves its key from memory after the first: what a hash resolved to (or that it resolved to nothing) is kept,
 * and a project's entries are dropped on every node when one of its keys is created or revoked
 * ({@link ApiKeysChanged}), so a revoked key stops working everywhere.
 */
@Service
public class ApiKeyService {

    /** Presented keys remembered (live or not); past this, the least used are looked up again. */
    static final long MAX_RESOLVED = 100_000;

    private record Presented(UUID projectId, String hash) {}

    private final ApiKeyRepository keys;
    private final ApplicationEventPublisher events;
    /** Presented keys, the unknown ones too; a revoked key is evicted on every node. */
    private final CoherentCache<Presented, Optional<ResolvedKey>> resolved;

    ApiKeyService(ApiKeyRepository keys, ApplicationEventPublisher events, ClusterProperties cluster) {
        this.keys = keys;
        this.events = events;
        this.resolved = new CoherentCache<>(cluster, MAX_RESOLVED);
    }

    record Created(ApiKey key, String secret) {}

    /** What a valid key grants: its project and whether it is a server (secret) key. */
    public record ResolvedKey(UUID projectId, boolean server) {}

    List<ApiKey> list(UUID projectId) {
        return keys.findByProjectIdOrderByCreatedAt(projectId);
    }

    @Transactional
    Created create(UUID projectId, ApiKey.Kind kind, String name) {
        String prefix = (kind == ApiKey.Kind.CLIENT ? "coco_ck_" : "coco_sk_")
                + projectId.toString().replace("-", "") + "_";
        String secret = OpaqueTokens.generate(prefix);
        String cleanName = name == null || name.isBlank() ? null : name.strip();
        ApiKey key = keys.insert(new ApiKey(projectId, kind, cleanName, OpaqueTokens.displayPrefix(secret, 6),
                OpaqueTokens.hash(secret)));
        changed(projectId);
        return new Created(key, secret);
    }

    @Transactional
    void revoke(UUID projectId, UUID keyId) {
        ApiKey key = keys.find(projectId, keyId)
                .orElseThrow(() -> NotFoundException.of("API key " + keyId));
        keys.delete(key);
        changed(projectId);
    }

    /** The project a presented key belongs to, if it is a live key. */
    public Optional<ResolvedKey> resolve(String presented) {
        return projectNamedBy(presented).flatMap(projectId -> {
            byte[] hash = OpaqueTokens.hash(presented);
            return resolved.get(new Presented(projectId, HexFormat.of().formatHex(hash)),
                    key -> keys.findByProjectIdAndKeyHash(projectId, hash)
                            .map(found -> new ResolvedKey(projectId, found.kind() == ApiKey.Kind.SERVER)));
        });
    }

    /** Forgotten here at once and, once committed, on every node (and here again, after the commit). */
    private void changed(UUID projectId) {
        evict(projectId);
        events.publishEvent(new ApiKeysChanged(projectId));
    }

    @TransactionalEventListener(fallbackExecution = true)
    void keysChanged(ApiKeysChanged event) {
        evict(event.projectId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        evict(event.projectId());
    }

    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        resolved.evictAll();
    }

    private void evict(UUID projectId) {
        resolved.evictIf(key -> key.projectId().equals(projectId));
    }

    /** The project a key names (keys carry their project's id), before the key itself is checked. */
    private static Optional<UUID> projectNamedBy(String presented) {
        if (presented == null || presented.length() != 8 + 32 + 1 + 43 || !presented.startsWith("coco_")) {
            return Optional.empty();
        }
        String hex = presented.substring(8, 40);
        try {
            return Optional.of(UUID.fromString(hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})",
                    "$1-$2-$3-$4-$5")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
