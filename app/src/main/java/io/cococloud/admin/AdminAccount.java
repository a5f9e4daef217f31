package io.cococloud.admin;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A person who signs in to the console (or a script acting for them). Not a project's app user. */
@Entity
@Table(name = "admin_accounts")
public class AdminAccount {

    @Id
    private UUID id;
    private String email;
    @Column(name = "password_hash")
    private String passwordHash;
    private String name;
    @Column(name = "instance_admin")
    private boolean instanceAdmin;
    private boolean disabled;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "last_login_at")
    private Instant lastLoginAt;

    protected AdminAccount() {}

    AdminAccount(String email, String passwordHash, String name, boolean instanceAdmin) {
        this.id = UUID.randomUUID();
        this.email = email;
        this.passwordHash = passwordHash;
        this.name = name;
        this.instanceAdmin = instanceAdmin;
        this.createdAt = Instant.now();
    }

    public UUID id() { return id; }
    public String email() { return email; }
    public String name() { return name; }
    public boolean instanceAdmin() { return instanceAdmin; }
    public boolean disabled() { return disabled; }
    public Instant createdAt() { return createdAt; }
    public Instant lastLoginAt() { return lastLoginAt; }
    String passwordHash() { return passwordHash; }

    void recordLogin() {
        lastLoginAt = Instant.now();
    }

    AdminPrincipal principal() {
        return new AdminPrincipal(id, email, instanceAdmin);
    }
}
