package io.cococloud.admin;

import java.time.Instant;
import java.util.UUID;


/** A person who signs in to the console (or a script acting for them). Not a project's app user. */
public class AdminAccount {

    private UUID id;
    private String email;
    private String passwordHash;
    private String name;
    private boolean instanceAdmin;
    private boolean disabled;
    private Instant createdAt;
    private Instant lastLoginAt;

    /** A stored row. */
    AdminAccount(UUID id, String email, String passwordHash, String name, boolean instanceAdmin, boolean disabled,
            Instant createdAt, Instant lastLoginAt) {
        this.id = id;
        this.email = email;
        this.passwordHash = passwordHash;
        this.name = name;
        this.instanceAdmin = instanceAdmin;
        this.disabled = disabled;
        this.createdAt = createdAt;
        this.lastLoginAt = lastLoginAt;
    }

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
