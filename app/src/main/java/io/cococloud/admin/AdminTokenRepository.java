package io.cococloud.admin;

import static io.cococloud.jdbc.Timestamps.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The rows of {@code admin_tokens}. */
@Repository
class AdminTokenRepository {

    private static final String COLUMNS =
            "id, account_id, name, token_hash, prefix, created_at, last_used_at, expires_at";

    private final JdbcClient db;

    AdminTokenRepository(JdbcClient db) {
        this.db = db;
    }

    AdminToken insert(AdminToken token) {
        db.sql("""
                INSERT INTO admin_tokens (id, account_id, name, token_hash, prefix, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(token.id(), token.accountId(), token.name(), token.tokenHash(), token.prefix(),
                        Timestamp.from(token.createdAt()),
                        token.expiresAt() == null ? null : Timestamp.from(token.expiresAt()))
                .update();
        return token;
    }

    Optional<AdminToken> findByTokenHash(byte[] tokenHash) {
        return db.sql("SELECT " + COLUMNS + " FROM admin_tokens WHERE token_hash = ?").params((Object) tokenHash)
                .query(AdminTokenRepository::token).optional();
    }

    List<AdminToken> findByAccountIdOrderByCreatedAt(UUID accountId) {
        return db.sql("SELECT " + COLUMNS + " FROM admin_tokens WHERE account_id = ? ORDER BY created_at, id")
                .params(accountId).query(AdminTokenRepository::token).list();
    }

    long deleteByIdAndAccountId(UUID id, UUID accountId) {
        return db.sql("DELETE FROM admin_tokens WHERE id = ? AND account_id = ?").params(id, accountId).update();
    }

    /** Written at most once a minute per token, so that using a token is not a write per request. */
    int touch(UUID id, Instant now, Instant staleBefore) {
        return db.sql("""
                UPDATE admin_tokens SET last_used_at = ?
                WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)""")
                .params(Timestamp.from(now), id, Timestamp.from(staleBefore)).update();
    }

    private static AdminToken token(ResultSet rs, int row) throws SQLException {
        return new AdminToken(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
                rs.getString("name"), rs.getBytes("token_hash"), rs.getString("prefix"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("last_used_at")),
                instant(rs.getTimestamp("expires_at")));
    }
}
