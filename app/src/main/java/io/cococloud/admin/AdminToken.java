package io.cococloud.admin;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A personal access token: only its SHA-256 hash and a display prefix are stored. */
@Entity
@Table(name = "admin_tokens")
class AdminToken {

    @Id
    private UUID id;
    @Column(name = "account_id")
    private UUID accountId;
    private String name;
    @Column(name = "token_hash")
    private byte[] tokenHash;
    private String prefix;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "last_used_at")
    private Instant lastUsedAt;
    @Column(name = "expires_at")
    private Instant expiresAt;

    protected AdminToken() {}

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
    String prefix() { return prefix; }
    Instant createdAt() { return createdAt; }
    Instant lastUsedAt() { return lastUsedAt; }
    Instant expiresAt() { return expiresAt; }

    boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
