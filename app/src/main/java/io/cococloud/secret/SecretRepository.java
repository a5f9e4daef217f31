package io.cococloud.secret;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.cococloud.secret.SecretCipher.Sealed;

/** The {@code secrets} table: ciphertext only, every statement scoped to one project (except key upkeep). */
@Repository
class SecretRepository {

    private final JdbcClient db;

    SecretRepository(JdbcClient db) {
        this.db = db;
    }

    /** What may be shown of a secret: never its value. */
    record Info(String name, Instant createdAt, Instant updatedAt) {}

    /** A stored row, for decrypting or re-encrypting. */
    record Row(UUID projectId, String name, Sealed sealed) {}

    List<Info> list(UUID projectId) {
        return db.sql("SELECT name, created_at, updated_at FROM secrets WHERE project_id = ? ORDER BY name")
                .param(projectId).query(SecretRepository::info).list();
    }

    Optional<Info> info(UUID projectId, String name) {
        return db.sql("SELECT name, created_at, updated_at FROM secrets WHERE project_id = ? AND name = ?")
                .params(projectId, name).query(SecretRepository::info).optional();
    }

    Optional<Sealed> find(UUID projectId, String name) {
        return db.sql("SELECT nonce, ciphertext, key_id FROM secrets WHERE project_id = ? AND name = ?")
                .params(projectId, name)
                .query((rs, n) -> new Sealed(rs.getBytes("nonce"), rs.getBytes("ciphertext"), rs.getString("key_id")))
                .optional();
    }

    boolean exists(UUID projectId, String name) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM secrets WHERE project_id = ? AND name = ?)")
                .params(projectId, name).query(Boolean.class).single();
    }

    boolean replace(UUID projectId, String name, Sealed sealed) {
        return db.sql("UPDATE secrets SET nonce = ?, ciphertext = ?, key_id = ?, updated_at = now()"
                + " WHERE project_id = ? AND name = ?")
                .params(sealed.nonce(), sealed.ciphertext(), sealed.keyId(), projectId, name).update() == 1;
    }

    /**
     * Inserts unless the project already has {@code limit} secrets. A concurrent insert of the same name
     * turns into a replace, so the caller's value is stored either way.
     */
    boolean insert(UUID projectId, String name, Sealed sealed, int limit) {
        return db.sql("""
                INSERT INTO secrets (project_id, name, nonce, ciphertext, key_id)
                SELECT ?, ?, ?, ?, ? WHERE (SELECT count(*) FROM secrets WHERE project_id = ?) < ?
                ON CONFLICT (project_id, name) DO UPDATE
                    SET nonce = excluded.nonce, ciphertext = excluded.ciphertext, key_id = excluded.key_id,
                        updated_at = now()""")
                .params(projectId, name, sealed.nonce(), sealed.ciphertext(), sealed.keyId(), projectId, limit)
                .update() == 1;
    }

    boolean delete(UUID projectId, String name) {
        return db.sql("DELETE FROM secrets WHERE project_id = ? AND name = ?").params(projectId, name).update() == 1;
    }

    // ------------------------------------------------------------------ master key upkeep (all projects)

    /** How many secrets each master key id encrypts. */
    Map<String, Long> countByKeyId() {
        Map<String, Long> counts = new LinkedHashMap<>();
        db.sql("SELECT key_id, count(*) AS n FROM secrets GROUP BY key_id ORDER BY key_id")
                .query((RowCallbackHandler) rs -> counts.put(rs.getString("key_id"), rs.getLong("n")));
        return counts;
    }

    /** The next rows under one of {@code keyIds} after (projectId, name), in key order: a keyset page. */
    List<Row> underKeys(List<String> keyIds, UUID afterProject, String afterName, int limit) {
        return db.sql("""
                SELECT project_id, name, nonce, ciphertext, key_id FROM secrets
                WHERE key_id = ANY (?) AND (project_id, name) > (?, ?)
                ORDER BY project_id, name LIMIT ?""")
                .params(keyIds.toArray(String[]::new), afterProject, afterName, limit)
                .query((rs, n) -> new Row(rs.getObject("project_id", UUID.class), rs.getString("name"),
                        new Sealed(rs.getBytes("nonce"), rs.getBytes("ciphertext"), rs.getString("key_id"))))
                .list();
    }

    /** Replaces a row's ciphertext only if it is still the one read, so a concurrent PUT is never undone. */
    boolean reencrypt(Row row, Sealed sealed) {
        return db.sql("UPDATE secrets SET nonce = ?, ciphertext = ?, key_id = ?"
                + " WHERE project_id = ? AND name = ? AND key_id = ? AND nonce = ?")
                .params(sealed.nonce(), sealed.ciphertext(), sealed.keyId(), row.projectId(), row.name(),
                        row.sealed().keyId(), row.sealed().nonce()).update() == 1;
    }

    private static Info info(ResultSet rs, int row) throws SQLException {
        return new Info(rs.getString("name"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
