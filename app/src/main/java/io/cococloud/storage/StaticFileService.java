package io.cococloud.storage;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.util.UriUtils;

import io.cococloud.data.DocumentsDeleted;
import io.cococloud.template.TemplateRenderer;

/**
 * A project's static files in PostgreSQL ({@code static_files}), keyed by (project, path): every statement names
 * the project, so one project's path never reaches another's file. Writes go through an {@link UploadBatch} in
 * one transaction that holds the project's upload lock, so the size and count limits hold under concurrent
 * uploads and a refused file leaves the earlier ones as they were.
 */
@Service
public class StaticFileService {

    static final String COLUMNS = "path, content_type, size, sha256, created_at, updated_at";
    /** First key of the two-key advisory lock; the second is the project's hash. */
    private static final int LOCK_CLASS = 0x57A71C;

    private final JdbcClient db;
    private final StaticProperties limits;
    private final TemplateRenderer templates;

    StaticFileService(JdbcClient db, StaticProperties limits, TemplateRenderer templates) {
        this.db = db;
        this.limits = limits;
        this.templates = templates;
    }

    /** A file's metadata for serving; {@code gzipSize} is null when no gzip copy is stored. */
    record Stored(String path, String contentType, long size, byte[] sha256, Instant updatedAt,
            Long gzipSize) {
        String sha256Hex() {
            return HexFormat.of().formatHex(sha256);
        }
    }

    /** The project's files whose path starts with the prefix (all for ""), in path order. */
    public List<StaticFile> list(UUID projectId, String prefix) {
        return db.sql("SELECT " + COLUMNS + " FROM static_files WHERE project_id = ? AND starts_with(path, ?)"
                + " ORDER BY path COLLATE \"C\"").params(projectId, prefix).query((rs, row) -> view(projectId, rs))
                .list();
    }

    /** One file's listing entry. */
    public Optional<StaticFile> get(UUID projectId, String path) {
        return db.sql("SELECT " + COLUMNS + " FROM static_files WHERE project_id = ? AND path = ?")
                .params(projectId, path).query((rs, row) -> view(projectId, rs)).optional();
    }

    /** The public URL of a path: what {@code static(path)} renders, with the path's characters URL-encoded. */
    public String url(UUID projectId, String path) {
        return templates.staticBaseUrl(projectId) + UriUtils.encodePath(path, StandardCharsets.UTF_8);
    }

    /** Deleted documents take their uploaded files (uploads/{collection}/{id}/...) with them. */
    @EventListener
    void documentsDeleted(DocumentsDeleted event) {
        String collectionFolder = "uploads/" + event.collection() + "/";
        if (event.ids() == null) {
            db.sql("DELETE FROM static_files WHERE project_id = ? AND starts_with(path, ?)")
                    .params(event.projectId(), collectionFolder).update();
            return;
        }
        db.sql("DELETE FROM static_files WHERE project_id = ? AND starts_with(path, ?)"
                + " AND split_part(substr(path, ?), '/', 1) = ANY (?)")
                .params(event.projectId(), collectionFolder, collectionFolder.length() + 1,
                        event.ids().toArray(String[]::new))
                .update();
    }

    public boolean delete(UUID projectId, String path) {
        return db.sql("DELETE FROM static_files WHERE project_id = ? AND path = ?").params(projectId, path).update() > 0;
    }

    /**
     * Runs the work with a batch that writes into the project's files, in one transaction: either all its writes
     * (and whatever else the work stores in the transaction) happen, or none.
     */
    @Transactional
    public <T> T write(UUID projectId, Function<UploadBatch, T> work) {
        db.sql("SELECT pg_advisory_xact_lock(?, ?)").params(LOCK_CLASS, projectId.hashCode())
                .query((RowCallbackHandler) rs -> { });
        long[] usage = db.sql("SELECT count(*), coalesce(sum(size), 0) FROM static_files WHERE project_id = ?")
                .params(projectId).query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
        return work.apply(new UploadBatch(projectId, db, limits, usage[0], usage[1], this));
    }

    /** Metadata of one file for serving, without its content. */
    Optional<Stored> find(UUID projectId, String path) {
        return db.sql("SELECT path, content_type, size, sha256, updated_at, octet_length(gzip) AS gzip_size"
                + " FROM static_files WHERE project_id = ? AND path = ?").params(projectId, path)
                .query((rs, row) -> new Stored(rs.getString("path"), rs.getString("content_type"), rs.getLong("size"),
                        rs.getBytes("sha256"), rs.getTimestamp("updated_at").toInstant(),
                        rs.getObject("gzip_size") == null ? null : rs.getLong("gzip_size")))
                .optional();
    }

    /**
     * The content (or its gzip copy) of the version with this digest; empty when the file was replaced or
     * deleted since its metadata was read. PostgreSQL's driver reads a bytea whole: the per-file limit is what
     * bounds the memory a download takes.
     */
    Optional<byte[]> content(UUID projectId, String path, byte[] sha256, boolean gzip) {
        return db.sql("SELECT " + (gzip ? "gzip" : "content") + " FROM static_files"
                + " WHERE project_id = ? AND path = ? AND sha256 = ?").params(projectId, path, sha256)
                .query((rs, row) -> rs.getBytes(1)).optional();
    }

    StaticFile view(UUID projectId, ResultSet rs) throws SQLException {
        String path = rs.getString("path");
        return new StaticFile(path, rs.getString("content_type"), rs.getLong("size"),
                HexFormat.of().formatHex(rs.getBytes("sha256")), url(projectId, path),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
