package io.cococloud.admin;

import static io.cococloud.jdbc.Timestamps.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The rows of {@code admin_accounts}. */
@Repository
class AdminAccountRepository {

    private static final String COLUMNS =
            "id, email, password_hash, name, instance_admin, disabled, created_at, last_login_at";

    private final JdbcClient db;

    AdminAccountRepository(JdbcClient db) {
        this.db = db;
    }

    AdminAccount insert(AdminAccount account) {
        db.sql("""
                INSERT INTO admin_accounts (id, email, password_hash, name, instance_admin, disabled, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(account.id(), account.email(), account.passwordHash(), account.name(), account.instanceAdmin(),
                        account.disabled(), Timestamp.from(account.createdAt()))
                .update();
        return account;
    }

    void recordLogin(AdminAccount account) {
        db.sql("UPDATE admin_accounts SET last_login_at = ? WHERE id = ?")
                .params(Timestamp.from(account.lastLoginAt()), account.id()).update();
    }

    Optional<AdminAccount> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM admin_accounts WHERE id = ?").params(id)
                .query(AdminAccountRepository::account).optional();
    }

    /** Matches the unique index on lower(email). */
    Optional<AdminAccount> findByEmail(String email) {
        return db.sql("SELECT " + COLUMNS + " FROM admin_accounts WHERE lower(email) = lower(?)").params(email)
                .query(AdminAccountRepository::account).optional();
    }

    List<AdminAccount> findAllById(Collection<UUID> ids) {
        return db.sql("SELECT " + COLUMNS + " FROM admin_accounts WHERE id = ANY (?)")
                .params((Object) ids.toArray(UUID[]::new)).query(AdminAccountRepository::account).list();
    }

    List<AdminAccount> findAll() {
        return db.sql("SELECT " + COLUMNS + " FROM admin_accounts ORDER BY created_at, id")
                .query(AdminAccountRepository::account).list();
    }

    boolean anyExist() {
        return db.sql("SELECT EXISTS (SELECT 1 FROM admin_accounts)").query(Boolean.class).single();
    }

    private static AdminAccount account(ResultSet rs, int row) throws SQLException {
        return new AdminAccount(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("password_hash"),
                rs.getString("name"), rs.getBoolean("instance_admin"), rs.getBoolean("disabled"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("last_login_at")));
    }
}
