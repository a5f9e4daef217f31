package io.cococloud.function;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The project_packages and project_package_files tables: every statement is scoped by project_id. */
@Repository
class ProjectPackageRepository {

    private final JdbcClient db;
    private final BatchInsert batch;

    ProjectPackageRepository(JdbcClient db, BatchInsert batch) {
        this.db = db;
        this.batch = batch;
    }

    /** A stored distribution, without its files. */
    record PackageRow(String name, String version, List<String> topLevel, int fileCount, long sizeBytes,
            Instant uploadedAt, UUID uploadedBy) {}

    private static final String COLUMNS = "name, version, top_level, file_count, size_bytes, uploaded_at, uploaded_by";

    List<PackageRow> list(UUID projectId) {
        return db.sql("SELECT " + COLUMNS + " FROM project_packages WHERE project_id = ? ORDER BY name")
                .params(projectId).query(ProjectPackageRepository::row).list();
    }

    Optional<PackageRow> find(UUID projectId, String name) {
        return db.sql("SELECT " + COLUMNS + " FROM project_packages WHERE project_id = ? AND name = ?")
                .params(projectId, name).query(ProjectPackageRepository::row).optional();
    }

    /** Locks the project's layer for a change: uploads and deletes of one project run one after the other. */
    void lock(UUID projectId) {
        db.sql("SELECT pg_advisory_xact_lock(hashtextextended('project_packages:' || ?::text, 0))")
                .params(projectId).query((RowCallbackHandler) rs -> { });
    }

    /** The stored path → distribution of every file of the project's layer. */
    Map<String, String> owners(UUID projectId) {
        Map<String, String> owners = new HashMap<>();
        db.sql("SELECT path, package FROM project_package_files WHERE project_id = ?").params(projectId)
                .query((RowCallbackHandler) rs -> owners.put(rs.getString("path"), rs.getString("package")));
        return owners;
    }

    /** The file paths and sizes of one distribution, in path order. */
    Map<String, Long> files(UUID projectId, String name) {
        Map<String, Long> files = new TreeMap<>();
        db.sql("SELECT path, length(content) AS size FROM project_package_files WHERE project_id = ? AND package = ?")
                .params(projectId, name)
                .query((RowCallbackHandler) rs -> files.put(rs.getString("path"), rs.getLong("size")));
        return files;
    }

    /** Every file of the layer, grouped by distribution: what the runtime's view of the layer is loaded from. */
    Map<String, Map<String, byte[]>> contents(UUID projectId) {
        Map<String, Map<String, byte[]>> contents = new HashMap<>();
        db.sql("SELECT package, path, content FROM project_package_files WHERE project_id = ?").params(projectId)
                .query((RowCallbackHandler) rs -> contents.computeIfAbsent(rs.getString("package"),
                        p -> new TreeMap<>()).put(rs.getString("path"), rs.getBytes("content")));
        return contents;
    }

    /** Stores a distribution; @return whether it replaced one of the same name */
    boolean replace(UUID projectId, PackageLayer.Distribution distribution, UUID uploadedBy) {
        boolean replaced = delete(projectId, distribution.name());
        long size = distribution.files().values().stream().mapToLong(b -> b.length).sum();
        db.sql("INSERT INTO project_packages (project_id, name, version, top_level, file_count, size_bytes,"
                + " uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(projectId, distribution.name(), distribution.version(),
                        distribution.topLevel().toArray(String[]::new), distribution.files().size(), size, uploadedBy)
                .update();
        List<Object[]> rows = new ArrayList<>();
        distribution.files().forEach((path, content) -> rows.add(new Object[] {projectId, distribution.name(), path,
                content}));
        batch.insert("INSERT INTO project_package_files (project_id, package, path, content) VALUES (?, ?, ?, ?)",
                rows);
        return replaced;
    }

    /** @return whether the project had the distribution */
    boolean delete(UUID projectId, String name) {
        return db.sql("DELETE FROM project_packages WHERE project_id = ? AND name = ?").params(projectId, name)
                .update() > 0;
    }

    private static PackageRow row(ResultSet rs, int rowNumber) throws SQLException {
        Array topLevel = rs.getArray("top_level");
        return new PackageRow(rs.getString("name"), rs.getString("version"),
                List.of((String[]) topLevel.getArray()), rs.getInt("file_count"), rs.getLong("size_bytes"),
                rs.getTimestamp("uploaded_at").toInstant(), rs.getObject("uploaded_by", UUID.class));
    }
}
