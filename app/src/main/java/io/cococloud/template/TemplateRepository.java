package io.cococloud.template;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The rows of {@code templates} (the current content of each name) and {@code template_versions} (every saved
 * content, the current one included). Every statement is bound to one project.
 */
@Repository
class TemplateRepository {

    /** Old versions beyond this many are deleted when a new one is saved: history, not an archive. */
    static final int KEPT_VERSIONS = 50;

    private final JdbcTemplate jdbc;

    TemplateRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Summary(String name, int version, long size, Instant createdAt, Instant updatedAt) {}

    record Stored(String name, int version, String content, Instant createdAt, Instant updatedAt) {}

    record Version(int version, long size, Instant createdAt) {}

    List<Summary> list(UUID projectId) {
        return jdbc.query("""
                SELECT name, version, octet_length(content) AS size, created_at, updated_at FROM templates
                WHERE project_id = ? ORDER BY name""",
                (rs, row) -> new Summary(rs.getString("name"), rs.getInt("version"), rs.getLong("size"),
                        instant(rs, "created_at"), instant(rs, "updated_at")), projectId);
    }

    int count(UUID projectId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM templates WHERE project_id = ?", Integer.class,
                projectId);
        return count == null ? 0 : count;
    }

    Optional<Stored> find(UUID projectId, String name) {
        return jdbc.query("""
                SELECT name, version, content, created_at, updated_at FROM templates
                WHERE project_id = ? AND name = ?""", TemplateRepository::stored, projectId, name)
                .stream().findFirst();
    }

    /** An older (or the current) content of a template, with the template's own timestamps. */
    Optional<Stored> findVersion(UUID projectId, String name, int version) {
        return jdbc.query("""
                SELECT v.name, v.version, v.content, t.created_at, v.created_at AS updated_at
                FROM template_versions v JOIN templates t ON t.project_id = v.project_id AND t.name = v.name
                WHERE v.project_id = ? AND v.name = ? AND v.version = ?""", TemplateRepository::stored,
                projectId, name, version).stream().findFirst();
    }

    List<Version> versions(UUID projectId, String name) {
        return jdbc.query("""
                SELECT version, octet_length(content) AS size, created_at FROM template_versions
                WHERE project_id = ? AND name = ? ORDER BY version DESC""",
                (rs, row) -> new Version(rs.getInt("version"), rs.getLong("size"), instant(rs, "created_at")),
                projectId, name);
    }

    /** Saves version 1 of a new template; empty when the name is taken. */
    @Transactional
    Optional<Stored> create(UUID projectId, String name, String content) {
        Optional<Stored> created = jdbc.query("""
                INSERT INTO templates (project_id, name, version, content) VALUES (?, ?, 1, ?)
                ON CONFLICT DO NOTHING RETURNING name, version, content, created_at, updated_at""",
                TemplateRepository::stored, projectId, name, content).stream().findFirst();
        created.ifPresent(template -> saveVersion(projectId, template));
        return created;
    }

    /** Saves the next version; the row lock of the UPDATE orders concurrent writers. Empty when absent. */
    @Transactional
    Optional<Stored> update(UUID projectId, String name, String content) {
        Optional<Stored> updated = jdbc.query("""
                UPDATE templates SET content = ?, version = version + 1, updated_at = now()
                WHERE project_id = ? AND name = ? RETURNING name, version, content, created_at, updated_at""",
                TemplateRepository::stored, content, projectId, name).stream().findFirst();
        updated.ifPresent(template -> {
            saveVersion(projectId, template);
            jdbc.update("DELETE FROM template_versions WHERE project_id = ? AND name = ? AND version <= ?",
                    projectId, name, template.version() - KEPT_VERSIONS);
        });
        return updated;
    }

    /** Deletes a template with its versions (the foreign key cascades). */
    boolean delete(UUID projectId, String name) {
        return jdbc.update("DELETE FROM templates WHERE project_id = ? AND name = ?", projectId, name) > 0;
    }

    private void saveVersion(UUID projectId, Stored template) {
        jdbc.update("INSERT INTO template_versions (project_id, name, version, content) VALUES (?, ?, ?, ?)",
                projectId, template.name(), template.version(), template.content());
    }

    private static Stored stored(ResultSet rs, int row) throws SQLException {
        return new Stored(rs.getString("name"), rs.getInt("version"), rs.getString("content"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }
}
