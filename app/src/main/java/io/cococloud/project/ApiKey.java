package io.cococloud.project;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A project's API key: only its hash and a recognisable prefix are stored. */
@Entity
@Table(name = "api_keys")
@IdClass(ProjectScopedId.class)
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

    @Id
    @Column(name = "project_id")
    private UUID projectId;
    @Id
    private UUID id;
    private String kind;
    private String name;
    private String prefix;
    @Column(name = "key_hash")
    private byte[] keyHash;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    protected ApiKey() {}

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
    Instant createdAt() { return createdAt; }
    Instant lastUsedAt() { return lastUsedAt; }
}
