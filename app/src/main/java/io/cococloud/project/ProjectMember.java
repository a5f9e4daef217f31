package io.cococloud.project;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A console account's membership, with its role, in one project. */
@Entity
@Table(name = "project_members")
@IdClass(ProjectScopedId.class)
class ProjectMember {

    @Id
    @Column(name = "project_id")
    private UUID projectId;
    @Id
    private UUID id;
    @Column(name = "account_id")
    private UUID accountId;
    private Role role;
    @Column(name = "created_at")
    private Instant createdAt;

    protected ProjectMember() {}

    ProjectMember(UUID projectId, UUID accountId, Role role) {
        this.projectId = projectId;
        this.id = UUID.randomUUID();
        this.accountId = accountId;
        this.role = role;
        this.createdAt = Instant.now();
    }

    UUID projectId() { return projectId; }
    UUID id() { return id; }
    UUID accountId() { return accountId; }
    Role role() { return role; }
    Instant createdAt() { return createdAt; }

    void changeRole(Role newRole) {
        role = newRole;
    }
}
