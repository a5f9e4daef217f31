package io.cococloud.project;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.error.NotFoundException;
import io.cococloud.token.OpaqueTokens;

/**
 * A project's API keys. A key embeds its project's id ({@code coco_ck_<project hex>_<random>}),
 * so it is looked up by (project_id, hash) like every other tenant row; only the hash is stored.
 */
@Service
public class ApiKeyService {

    private final ApiKeyRepository keys;

    ApiKeyService(ApiKeyRepository keys) {
        this.keys = keys;
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
        ApiKey key = keys.save(new ApiKey(projectId, kind, cleanName, OpaqueTokens.displayPrefix(secret, 6),
                OpaqueTokens.hash(secret)));
        return new Created(key, secret);
    }

    @Transactional
    void revoke(UUID projectId, UUID keyId) {
        ApiKey key = keys.findById(new ProjectScopedId(projectId, keyId))
                .orElseThrow(() -> NotFoundException.of("API key " + keyId));
        keys.delete(key);
    }

    /** The project a presented key belongs to, if it is a live key. */
    public Optional<ResolvedKey> resolve(String presented) {
        return projectNamedBy(presented).flatMap(projectId -> keys.findByProjectIdAndKeyHash(projectId,
                        OpaqueTokens.hash(presented))
                .map(key -> new ResolvedKey(projectId, key.kind() == ApiKey.Kind.SERVER)));
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
