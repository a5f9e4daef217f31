package io.cococloud.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.cococloud.error.InvalidInputException;
import io.cococloud.error.TooLargeException;

/**
 * Writes into one project's static files inside {@link StaticFileService#write}'s transaction, keeping count of
 * the project's files and bytes as it goes so that each write is checked against the limits before it lands.
 * Content is read with a hard cap, so a stream that claims little and delivers much (a zip bomb) is cut off
 * at the limit, never read to its end.
 */
public final class UploadBatch {

    private final UUID projectId;
    private final JdbcClient db;
    private final StaticProperties limits;
    private final StaticFileService files;
    private long fileCount;
    private long byteCount;

    UploadBatch(UUID projectId, JdbcClient db, StaticProperties limits, long fileCount, long byteCount,
            StaticFileService files) {
        this.projectId = projectId;
        this.db = db;
        this.limits = limits;
        this.fileCount = fileCount;
        this.byteCount = byteCount;
        this.files = files;
    }

    /**
     * Stores (or replaces) the file at a normalised path with what the stream delivers, at most the per-file limit.
     *
     * @param what names the file in a refusal, e.g. "file 'logo.png'"
     */
    public StaticFile put(String path, InputStream in, String what) {
        long max = limits.maxFileSize().toBytes();
        byte[] content;
        try {
            content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max + 1));
        } catch (IOException e) {
            throw new InvalidInputException(what + " could not be read: " + e.getMessage(), e);
        }
        if (content.length > max) {
            throw tooLarge(what + " is larger than the limit of " + describe(max) + " per file");
        }
        return put(path, content);
    }

    StaticFile put(String path, byte[] content) {
        Long old = db.sql("SELECT size FROM static_files WHERE project_id = ? AND path = ?").params(projectId, path)
                .query((rs, row) -> rs.getLong(1)).optional().orElse(null);
        long bytesAfter = byteCount - (old == null ? 0 : old) + content.length;
        if (bytesAfter > limits.maxProjectSize().toBytes()) {
            throw tooLarge("Storing " + path + " would bring the project's static files to " + describe(bytesAfter)
                    + "; the limit is " + describe(limits.maxProjectSize().toBytes())
                    + ". Delete files you no longer need");
        }
        if (old == null && fileCount + 1 > limits.maxProjectFiles()) {
            throw new InvalidInputException("The project has " + fileCount + " static files, the limit; " + path
                    + " was not stored. Delete files you no longer need");
        }
        String contentType = ContentTypes.of(path);
        byte[] sha256 = sha256(content);
        byte[] gzip = gzipCopy(contentType, content);
        List<StaticFile> changed = db.sql("""
                INSERT INTO static_files (project_id, path, content_type, size, sha256, content, gzip)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (project_id, path) DO UPDATE SET content_type = EXCLUDED.content_type,
                    size = EXCLUDED.size, sha256 = EXCLUDED.sha256, content = EXCLUDED.content,
                    gzip = EXCLUDED.gzip, updated_at = now()
                -- the same bytes again keep their Last-Modified, so caches keep what they hold
                WHERE (static_files.sha256, static_files.content_type)
                    IS DISTINCT FROM (EXCLUDED.sha256, EXCLUDED.content_type)
                RETURNING\s""" + StaticFileService.COLUMNS)
                .params(projectId, path, contentType, content.length, sha256, content, gzip)
                .query((rs, row) -> files.view(projectId, rs)).list();
        byteCount = bytesAfter;
        fileCount += old == null ? 1 : 0;
        return changed.isEmpty() ? files.get(projectId, path).orElseThrow() : changed.getFirst();
    }

    /** Deletes every file under a folder ("a/b/"); returns how many there were. */
    public int deleteFolder(String folder) {
        long[] removed = new long[2];
        db.sql("DELETE FROM static_files WHERE project_id = ? AND starts_with(path, ?) RETURNING size")
                .params(projectId, folder).query((RowCallbackHandler) rs -> {
                    removed[0]++;
                    removed[1] += rs.getLong(1);
                });
        fileCount -= removed[0];
        byteCount -= removed[1];
        return (int) removed[0];
    }

    UUID projectId() {
        return projectId;
    }

    StaticProperties limits() {
        return limits;
    }

    /**
     * Over a size limit. Still an HTTP problem: no domain refusal has the request-too-large type (yet), and the
     * answer must keep it.
     */
    static TooLargeException tooLarge(String detail) {
        return new TooLargeException(detail);
    }

    static String describe(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }

    private byte[] gzipCopy(String contentType, byte[] content) {
        if (content.length < limits.gzipMinSize().toBytes() || !ContentTypes.compressible(contentType)) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION); // once per upload, read many times
            }
        }) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        // a copy that saves less than a tenth is not worth the Content-Encoding
        return out.size() < content.length * 0.9 ? out.toByteArray() : null;
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
