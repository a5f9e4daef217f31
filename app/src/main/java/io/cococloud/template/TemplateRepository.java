package io.cococloud.template;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.jdbc.Timestamps;

/**
 * The rows of {@code templates} (the current content of each name) and {@code template_versions} (every saved
 * content, the current one included). Every statement is bound to one project.
 */
@Repository
class TemplateRepository {

    /** Old versions beyond this many are deleted when a new one is saved: history, not an archive. */
    static final int KEPT_VERSIONS = 50;

    private final JdbcClient db;

    TemplateRepository(JdbcClient db) {
        this.db = db;
    }

    record Summary(String name, int version, long size, Instant createdAt, Instant updatedAt) {}

    record Stored(String name, int version, String content, Instant createdAt, Instant updatedAt) {}

    record Version(int version, long size, Instant createdAt) {}

    List<Summary> list(UUID projectId) {
        return db.sql("""
                SELECT name, version, octet_length(content) AS size, created_at, updated_at FROM templates
                WHERE project_id = ? ORDER BY name""").params(projectId)
                .query((rs, row) -> new Summary(rs.getString("name"), rs.getInt("version"), rs.getLong("size"),
                        instant(rs, "created_at"), instant(rs, "updated_at"))).list();
    }

    int count(UUID projectId) {
        return db.sql("SELECT count(*) FROM templates WHERE project_id = ?").params(projectId)
                .query(Integer.class).single();
    }

    Optional<Stored> find(UUID projectId, String name) {
        return db.sql("""
                SELECT name, version, content, created_at, updated_at FROM templates
                WHERE project_id = ? AND name = ?""").params(projectId, name)
                .query(TemplateRepository::stored).optional();
    }

    /** An older (or the current) content of a template, with the template's own timestamps. */
    Optional<Stored> findVersion(UUID projectId, String name, int version) {
        return db.sql("""
                SELECT v.name, v.version, v.content, t.created_at, v.created_at AS updated_at
                FROM template_versions v JOIN templates t ON t.project_id = v.project_id AND t.name = v.name
                WHERE v.project_id = ? AND v.name = ? AND v.version = ?""").params(projectId, name, version)
                .query(TemplateRepository::stored).optional();
    }

    List<Version> versions(UUID projectId, String name) {
        return db.sql("""
                SELECT version, octet_length(content) AS size, created_at FROM template_versions
                WHERE project_id = ? AND name = ? ORDER BY version DESC""").params(projectId, name)
                .query((rs, row) -> new Version(rs.getInt("version"), rs.getLong("size"), instant(rs, "created_at")))
                .list();
    }

    /** Saves version 1 of a new template; empty when the name is taken. */
    @Transactional
    Optional<Stored> create(UUID projectId, String name, String content) {
        Optional<Stored> created = db.sql("""
                INSERT INTO templates (project_id, name, version, content) VALUES (?, ?, 1, ?)
                ON CONFLICT DO NOTHING RETURNING name, version, content, created_at, updated_at""")
                .params(projectId, name, content).query(TemplateRepository::stored).optional();
        created.ifPresent(template -> saveVersion(projectId, template));
        return created;
    }

    /** Saves the next version; the row lock of the UPDATE orders concurrent writers. Empty when absent. */
    @Transactional
    Optional<Stored> update(UUID projectId, String name, String content) {
        Optional<Stored> updated = db.sql("""
                UPDATE templates SET content = ?, version = version + 1, updated_at = now()
                WHERE project_id = ? AND name = ? RETURNING name, version, content, created_at, updated_at""")
                .params(content, projectId, name).query(TemplateRepository::stored).optional();
        updated.ifPresent(template -> {
            saveVersion(projectId, template);
            db.sql("DELETE FROM template_versions WHERE project_id = ? AND name = ? AND version <= ?")
                    .params(projectId, name, template.version() - KEPT_VERSIONS).update();
        });
        return updated;
    }

    /** Deletes a template with its versions (the foreign key cascades). */
    boolean delete(UUID projectId, String name) {
        return db.sql("DELETE FROM templates WHERE project_id = ? AND name = ?").params(projectId, name).update() > 0;
    }

    private void saveVersion(UUID projectId, Stored template) {
        db.sql("INSERT INTO template_versions (project_id, name, version, content) VALUES (?, ?, ?, ?)")
                .params(projectId, template.name(), template.version(), template.content()).update();
    }

    private static Stored stored(ResultSet rs, int row) throws SQLException {
        return new Stored(rs.getString("name"), rs.getInt("version"), rs.getString("content"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return Timestamps.instant(rs.getTimestamp(column));
    }
}
