package io.cococloud.project;

import java.time.Instant;
import java.util.UUID;


/** A tenant: everything else belongs to exactly one project. */
public class Project {

    private UUID id;
    private String slug;
    private String name;
    private Instant createdAt;
    private Instant updatedAt;

    /** A stored row. */
    Project(UUID id, String slug, String name, Instant createdAt, Instant updatedAt) {
        this.id = id;
        this.slug = slug;
        this.name = name;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
    }

    Project(String slug, String name) {
        this.id = UUID.randomUUID();
        this.slug = slug;
        this.name = name;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public UUID id() { return id; }
    public String slug() { return slug; }
    public String name() { return name; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    void rename(String newName) {
        name = newName;
        updatedAt = Instant.now();
    }

    void changeSlug(String newSlug) {
        slug = newSlug;
        updatedAt = Instant.now();
    }
}
