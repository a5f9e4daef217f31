package io.cococloud.admin;

import java.time.Instant;
import java.util.UUID;


/** A personal access token: only its SHA-256 hash and a display prefix are stored. */
class AdminToken {

    private UUID id;
    private UUID accountId;
    private String name;
    private byte[] tokenHash;
    private String prefix;
    private Instant createdAt;
    private Instant lastUsedAt;
    private Instant expiresAt;

    /** A stored row. */
    AdminToken(UUID id, UUID accountId, String name, byte[] tokenHash, String prefix, Instant createdAt,
            Instant lastUsedAt, Instant expiresAt) {
        this.id = id;
        this.accountId = accountId;
        this.name = name;
        this.tokenHash = tokenHash;
        this.prefix = prefix;
        this.createdAt = createdAt;
        this.lastUsedAt = lastUsedAt;
        this.expiresAt = expiresAt;
    }

    AdminToken(UUID accountId, String name, byte[] tokenHash, String prefix, Instant expiresAt) {
        this.id = UUID.randomUUID();
        this.accountId = accountId;
        this.name = name;
        this.tokenHash = tokenHash;
        this.prefix = prefix;
        this.createdAt = Instant.now();
        this.expiresAt = expiresAt;
    }

    UUID id() { return id; }
    UUID accountId() { return accountId; }
    String name() { return name; }
    byte[] tokenHash() { return tokenHash; }
    String prefix() { return prefix; }
    Instant createdAt() { return createdAt; }
    Instant lastUsedAt() { return lastUsedAt; }
    Instant expiresAt() { return expiresAt; }

    boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
