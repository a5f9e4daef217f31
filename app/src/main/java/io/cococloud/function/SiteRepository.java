package io.cococloud.function;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sites, their immutable versions, files and routes. Plain SQL; every statement names the project. */
@Repository
class SiteRepository {

    private final JdbcClient db;

    SiteRepository(JdbcClient db) {
        this.db = db;
    }

    record VersionRow(int version, int fileCount, long sizeBytes, UUID createdBy, Instant createdAt) {}

    record RouteRow(String file, String style, String entryName) {}

    record CodeFile(String path, String text) {}

    record StaticRow(String path, String contentType, byte[] sha256, long size) {}

    record FileRow(String kind, String path, byte[] content, String contentType, byte[] sha256) {}

    /**
     * The next version number of the project's site. The upsert locks the project's row until the transaction
     * ends, so concurrent deploys of one project take turns.
     */
    int nextVersion(UUID projectId) {
        return db.sql("""
                INSERT INTO sites (project_id, last_version) VALUES (?, 1)
                ON CONFLICT (project_id) DO UPDATE SET last_version = sites.last_version + 1
                RETURNING last_version""").param(projectId).query(Integer.class).single();
    }

    void insertVersion(UUID projectId, int version, int fileCount, long sizeBytes, UUID createdBy) {
        db.sql("INSERT INTO site_versions (project_id, version, file_count, size_bytes, created_by)"
                + " VALUES (?, ?, ?, ?, ?)").params(projectId, version, fileCount, sizeBytes, createdBy).update();
    }

    void insertFile(UUID projectId, int version, FileRow file) {
        db.sql("INSERT INTO site_files (project_id, version, kind, path, content, content_type, sha256)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(projectId, version, file.kind(), file.path(), file.content(), file.contentType(),
                        file.sha256())
                .update();
    }

    void insertRoute(UUID projectId, int version, RouteRow route) {
        db.sql("INSERT INTO site_routes (project_id, version, file, style, entry_name) VALUES (?, ?, ?, ?, ?)")
                .params(projectId, version, route.file(), route.style(), route.entryName()).update();
    }

    /** Makes the version the live one: the one statement a deploy or rollback changes the site with. */
    void deploy(UUID projectId, Integer version) {
        db.sql("UPDATE sites SET deployed_version = ?, updated_at = now() WHERE project_id = ?")
                .params(version, projectId).update();
    }

    Optional<Integer> deployedVersion(UUID projectId) {
        return db.sql("SELECT deployed_version FROM sites WHERE project_id = ? AND deployed_version IS NOT NULL")
                .param(projectId).query(Integer.class).optional();
    }

    Optional<VersionRow> version(UUID projectId, int version) {
        return db.sql("SELECT version, file_count, size_bytes, created_by, created_at FROM site_versions"
                + " WHERE project_id = ? AND version = ?").params(projectId, version)
                .query((rs, row) -> new VersionRow(rs.getInt(1), rs.getInt(2), rs.getLong(3),
                        rs.getObject(4, UUID.class), rs.getTimestamp(5).toInstant()))
                .optional();
    }

    List<VersionRow> versions(UUID projectId) {
        return db.sql("SELECT version, file_count, size_bytes, created_by, created_at FROM site_versions"
                + " WHERE project_id = ? ORDER BY version DESC").param(projectId)
                .query((rs, row) -> new VersionRow(rs.getInt(1), rs.getInt(2), rs.getLong(3),
                        rs.getObject(4, UUID.class), rs.getTimestamp(5).toInstant()))
                .list();
    }

    List<RouteRow> routes(UUID projectId, int version) {
        return db.sql("SELECT file, style, entry_name FROM site_routes WHERE project_id = ? AND version = ?")
                .params(projectId, version)
                .query((rs, row) -> new RouteRow(rs.getString(1), rs.getString(2), rs.getString(3))).list();
    }

    /** Every file that was a route in any version of the project's site (their executions keep their names). */
    List<String> routeFiles(UUID projectId) {
        return db.sql("SELECT DISTINCT file FROM site_routes WHERE project_id = ?").param(projectId)
                .query(String.class).list();
    }

    List<CodeFile> code(UUID projectId, int version) {
        return db.sql("SELECT path, convert_from(content, 'UTF8') FROM site_files"
                + " WHERE project_id = ? AND version = ? AND kind = 'code'").params(projectId, version)
                .query((rs, row) -> new CodeFile(rs.getString(1), rs.getString(2))).list();
    }

    /** The static files' metadata, without their content (read when a body is sent). */
    List<StaticRow> statics(UUID projectId, int version) {
        return db.sql("SELECT path, content_type, sha256, octet_length(content) FROM site_files"
                + " WHERE project_id = ? AND version = ? AND kind = 'static'").params(projectId, version)
                .query((rs, row) -> new StaticRow(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getLong(4)))
                .list();
    }

    Optional<byte[]> staticContent(UUID projectId, int version, String path) {
        return db.sql("SELECT content FROM site_files WHERE project_id = ? AND version = ? AND kind = 'static'"
                + " AND path = ?").params(projectId, version, path).query(byte[].class).optional();
    }

}
