package io.cococloud.project;

import static io.cococloud.jdbc.Timestamps.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The rows of {@code api_keys}; every statement is bound to one project. */
@Repository
class ApiKeyRepository {

    private static final String COLUMNS = "project_id, id, kind, name, prefix, key_hash, created_at, last_used_at";

    private final JdbcClient db;

    ApiKeyRepository(JdbcClient db) {
        this.db = db;
    }

    ApiKey insert(ApiKey key) {
        db.sql("""
                INSERT INTO api_keys (project_id, id, kind, name, prefix, key_hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(key.projectId(), key.id(), key.kind().json(), key.name(), key.prefix(), key.keyHash(),
                        Timestamp.from(key.createdAt()))
                .update();
        return key;
    }

    void delete(ApiKey key) {
        db.sql("DELETE FROM api_keys WHERE project_id = ? AND id = ?").params(key.projectId(), key.id()).update();
    }

    Optional<ApiKey> find(UUID projectId, UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM api_keys WHERE project_id = ? AND id = ?").params(projectId, id)
                .query(ApiKeyRepository::key).optional();
    }

    List<ApiKey> findByProjectIdOrderByCreatedAt(UUID projectId) {
        return db.sql("SELECT " + COLUMNS + " FROM api_keys WHERE project_id = ? ORDER BY created_at, id")
                .params(projectId).query(ApiKeyRepository::key).list();
    }

    Optional<ApiKey> findByProjectIdAndKeyHash(UUID projectId, byte[] keyHash) {
        return db.sql("SELECT " + COLUMNS + " FROM api_keys WHERE project_id = ? AND key_hash = ?")
                .params(projectId, keyHash).query(ApiKeyRepository::key).optional();
    }

    private static ApiKey key(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getObject("project_id", UUID.class), rs.getObject("id", UUID.class),
                rs.getString("kind"), rs.getString("name"), rs.getString("prefix"), rs.getBytes("key_hash"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("last_used_at")));
    }
}
