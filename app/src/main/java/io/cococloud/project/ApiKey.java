package io.cococloud.project;

import java.time.Instant;
import java.util.UUID;


/** A project's API key: only its hash and a recognisable prefix are stored. */
class ApiKey {

    enum Kind {
        /** Public, shipped in client apps (CocoBase's x-api-key); app-user permissions apply. */
        CLIENT,
        /** Secret, for servers and scripts: acts with full rights on the project's data. */
        SERVER;

        String json() {
            return name().toLowerCase();
        }
    }

    private UUID projectId;
    private UUID id;
    private String kind;
    private String name;
    private String prefix;
    private byte[] keyHash;
    private Instant createdAt;
    private Instant lastUsedAt;

    /** A stored row. */
    ApiKey(UUID projectId, UUID id, String kind, String name, String prefix, byte[] keyHash, Instant createdAt,
            Instant lastUsedAt) {
        this.projectId = projectId;
        this.id = id;
        this.kind = kind;
        this.name = name;
        this.prefix = prefix;
        this.keyHash = keyHash;
        this.createdAt = createdAt;
        this.lastUsedAt = lastUsedAt;
    }

    ApiKey(UUID projectId, Kind kind, String name, String prefix, byte[] keyHash) {
        this.projectId = projectId;
        this.id = UUID.randomUUID();
        this.kind = kind.json();
        this.name = name;
        this.prefix = prefix;
        this.keyHash = keyHash;
        this.createdAt = Instant.now();
    }

    UUID projectId() { return projectId; }
    UUID id() { return id; }
    Kind kind() { return Kind.valueOf(kind.toUpperCase()); }
    String name() { return name; }
    String prefix() { return prefix; }
    byte[] keyHash() { return keyHash; }
    Instant createdAt() { return createdAt; }
    Instant lastUsedAt() { return lastUsedAt; }
}
