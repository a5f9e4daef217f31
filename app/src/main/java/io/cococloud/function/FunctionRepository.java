package io.cococloud.function;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Functions and their immutable versions. Plain SQL: every statement names the project, and
 * the composite keys (project_id, function_id, version) read better here than as JPA id classes.
 */
@Repository
class FunctionRepository {

    private final JdbcClient db;
    private final BatchInsert batch;
    private final JsonMapper json;

    FunctionRepository(JdbcClient db, BatchInsert batch, JsonMapper json) {
        this.db = db;
        this.batch = batch;
        this.json = json;
    }

    record FunctionRow(UUID projectId, UUID id, String name, String style, String handler, int timeoutSeconds,
            boolean requireAuth, boolean enabled, Integer deployedVersion, Instant createdAt, Instant updatedAt) {}

    /**
     * One version, without its helper files' sources.
     *
     * @param code  the entry file's source
     * @param paths every file of the version, the entry file included, in path order
     */
    record VersionRow(int version, String style, String handler, String entryFile, String entryName, String code,
            List<String> paths, UUID createdBy, Instant createdAt, List<String> warnings) {}

    /** One version's files, as the runtime loads them. */
    record VersionSource(int version, String style, String entryFile, String entryName, Map<String, String> files) {}

    private static final String VERSION_COLUMNS = "version, style, handler, entry_file, entry_name, code, created_by,"
            + " created_at, sandbox_warnings, ARRAY(SELECT jsonb_object_keys(modules)) || ARRAY(SELECT f.path FROM function_version_files f"
            + " WHERE f.project_id = v.project_id AND f.function_id = v.function_id AND f.version = v.version)"
            + " AS module_paths";
    private static final TypeReference<Map<String, String>> MODULES = new TypeReference<>() {};

    private static final String FUNCTION_COLUMNS = "project_id, id, name, style, handler, timeout_s, require_auth,"
            + " enabled, deployed_version, created_at, updated_at";

    void insert(FunctionRow f) {
        db.sql("INSERT INTO functions (" + FUNCTION_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")
                .params(f.projectId(), f.id(), f.name(), f.style(), f.handler(), f.timeoutSeconds(), f.requireAuth(),
                        f.enabled(), f.deployedVersion(), ts(f.createdAt()), ts(f.updatedAt()))
                .update();
        db.sql("INSERT INTO function_directory (function_id, project_id) VALUES (?, ?)")
                .params(f.id(), f.projectId()).update();
    }

    List<FunctionRow> list(UUID projectId) {
        return db.sql("SELECT " + FUNCTION_COLUMNS + " FROM functions WHERE project_id = ? ORDER BY name")
                .param(projectId).query(FunctionRepository::function).list();
    }

    /** The style each function's deployed version runs in, by function id: what a list shows beside the name. */
    Map<UUID, String> deployedStyles(UUID projectId) {
        Map<UUID, String> styles = new HashMap<>();
        db.sql("""
                SELECT f.id, v.style FROM functions f
                JOIN function_versions v
                  ON v.project_id = f.project_id AND v.function_id = f.id AND v.version = f.deployed_version
                WHERE f.project_id = ?""").param(projectId)
                .query((rs, row) -> styles.put(rs.getObject(1, UUID.class), rs.getString(2))).list();
        return styles;
    }

    Optional<FunctionRow> find(UUID projectId, UUID id) {
        return db.sql("SELECT " + FUNCTION_COLUMNS + " FROM functions WHERE project_id = ? AND id = ?")
                .params(projectId, id).query(FunctionRepository::function).optional();
    }

    Optional<FunctionRow> findByName(UUID projectId, String name) {
        return db.sql("SELECT " + FUNCTION_COLUMNS + " FROM functions WHERE project_id = ? AND name = ?")
                .params(projectId, name).query(FunctionRepository::function).optional();
    }

    /** The project a function id belongs to: the one lookup that starts from the id alone. */
    Optional<UUID> projectOf(UUID functionId) {
        return db.sql("SELECT project_id FROM function_directory WHERE function_id = ?").param(functionId)
                .query(UUID.class).optional();
    }

    void update(FunctionRow f) {
        db.sql("""
                UPDATE functions SET name = ?, style = ?, handler = ?, timeout_s = ?, require_auth = ?, enabled = ?,
                    deployed_version = ?, updated_at = ?
                WHERE project_id = ? AND id = ?""")
                .params(f.name(), f.style(), f.handler(), f.timeoutSeconds(), f.requireAuth(), f.enabled(),
                        f.deployedVersion(), ts(f.updatedAt()), f.projectId(), f.id())
                .update();
    }

    void delete(UUID projectId, UUID id) {
        db.sql("DELETE FROM functions WHERE project_id = ? AND id = ?").params(projectId, id).update();
        db.sql("DELETE FROM function_directory WHERE function_id = ? AND project_id = ?").params(id, projectId)
                .update();
    }

    /**
     * Adds the next version; versions are numbered 1, 2, 3... per function. The entry file's source is the
     * version's {@code code}, every other file is in {@code modules} by its path.
     */
    int addVersion(UUID projectId, UUID functionId, NewVersion v, UUID createdBy) {
        Map<String, String> modules = new TreeMap<>(v.files());
        String code = modules.remove(v.entryFile());
        return db.sql("""
                INSERT INTO function_versions (project_id, function_id, version, code, modules, style, handler,
                    entry_file, entry_name, created_by, sandbox_warnings)
                SELECT ?, ?, coalesce(max(version), 0) + 1, ?, ?::jsonb, ?, ?, ?, ?, ?, ? FROM function_versions
                WHERE project_id = ? AND function_id = ?
                RETURNING version""")
                .params(projectId, functionId, code, json.writeValueAsString(modules), v.style(), v.handler(),
                        v.entryFile(), v.entryName(), createdBy, v.warnings().toArray(String[]::new), projectId,
                        functionId)
                .query(Integer.class).single();
    }

    /** The version's data files (binary files, vendored packages' data and metadata), one row each. */
    void addData(UUID projectId, UUID functionId, int version, Map<String, byte[]> data) {
        if (data.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        data.forEach((path, content) -> rows.add(new Object[] {projectId, functionId, version, path, content}));
        batch.insert("INSERT INTO function_version_files (project_id, function_id, version, path, content)"
                + " VALUES (?, ?, ?, ?, ?)", rows);
    }

    /** A version's data files by path: with {@link #source}, what a deployed version is loaded from. */
    /** One data file of a version, or empty. */
    java.util.Optional<byte[]> dataFile(UUID projectId, UUID functionId, int version, String path) {
        return db.sql("SELECT content FROM function_version_files WHERE project_id = ? AND function_id = ?"
                + " AND version = ? AND path = ?").params(projectId, functionId, version, path)
                .query((rs, row) -> rs.getBytes("content")).optional();
    }

    Map<String, byte[]> data(UUID projectId, UUID functionId, int version) {
        Map<String, byte[]> data = new TreeMap<>();
        db.sql("SELECT path, content FROM function_version_files WHERE project_id = ? AND function_id = ?"
                + " AND version = ?").params(projectId, functionId, version)
                .query((RowCallbackHandler) rs -> data.put(rs.getString("path"), rs.getBytes("content")));
        return data;
    }

    /** What a new version is made of: its files, which one holds the entry point, and how it is called. */
    /** @param warnings what the version's own code uses that the sandbox denies (the deploy-time check's) */
    record NewVersion(Map<String, String> files, String entryFile, String entryName, String style, String handler,
            Map<String, byte[]> data, List<String> warnings) {}

    List<VersionRow> versions(UUID projectId, UUID functionId) {
        return db.sql("SELECT " + VERSION_COLUMNS + """
                 FROM function_versions v
                WHERE project_id = ? AND function_id = ? ORDER BY version DESC""")
                .params(projectId, functionId).query(FunctionRepository::version).list();
    }

    Optional<VersionRow> version(UUID projectId, UUID functionId, int version) {
        return db.sql("SELECT " + VERSION_COLUMNS + """
                 FROM function_versions v
                WHERE project_id = ? AND function_id = ? AND version = ?""")
                .params(projectId, functionId, version).query(FunctionRepository::version).optional();
    }

    /** Every file of one version by path, the entry file included: one read of the row. */
    Optional<VersionSource> source(UUID projectId, UUID functionId, int version) {
        return db.sql("""
                SELECT version, style, entry_file, entry_name, code, modules::text AS modules FROM function_versions v
                WHERE project_id = ? AND function_id = ? AND version = ?""")
                .params(projectId, functionId, version).query((rs, row) -> {
                    Map<String, String> files = new TreeMap<>(json.readValue(rs.getString("modules"), MODULES));
                    files.put(rs.getString("entry_file"), rs.getString("code"));
                    return new VersionSource(rs.getInt("version"), rs.getString("style"), rs.getString("entry_file"),
                            rs.getString("entry_name"), files);
                }).optional();
    }

    private static FunctionRow function(ResultSet rs, int row) throws SQLException {
        return new FunctionRow(rs.getObject("project_id", UUID.class), rs.getObject("id", UUID.class),
                rs.getString("name"), rs.getString("style"), rs.getString("handler"), rs.getInt("timeout_s"),
                rs.getBoolean("require_auth"), rs.getBoolean("enabled"), (Integer) rs.getObject("deployed_version"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private static VersionRow version(ResultSet rs, int row) throws SQLException {
        List<String> paths = new ArrayList<>(List.of((String[]) rs.getArray("module_paths").getArray()));
        paths.add(rs.getString("entry_file"));
        Collections.sort(paths);
        return new VersionRow(rs.getInt("version"), rs.getString("style"), rs.getString("handler"),
                rs.getString("entry_file"), rs.getString("entry_name"), rs.getString("code"), List.copyOf(paths),
                rs.getObject("created_by", UUID.class), rs.getTimestamp("created_at").toInstant(),
                List.of((String[]) rs.getArray("sandbox_warnings").getArray()));
    }

    private static java.sql.Timestamp ts(Instant instant) {
        return java.sql.Timestamp.from(instant);
    }
}
