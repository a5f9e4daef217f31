package io.cococloud.project;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tenant: everything else belongs to exactly one project. */
@Entity
@Table(name = "projects")
public class Project {

    @Id
    private UUID id;
    private String slug;
    private String name;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;

    protected Project() {}

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
