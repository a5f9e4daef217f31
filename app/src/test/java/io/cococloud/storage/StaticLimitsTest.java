package io.cococloud.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.unit.DataSize;

import io.cococloud.error.InvalidInputException;
import io.cococloud.error.TooLargeException;
import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * The project-wide limits, with small numbers so that reaching them takes a few bytes: an upload batch on the
 * real database, as the upload endpoints use it.
 */
@IntegrationTest
class StaticLimitsTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StaticFileService files;

    UUID projectId;

    @BeforeEach
    void project() {
        projectId = UUID.fromString(AdminApi.newAccount(port).createProject());
    }

    private UploadBatch batch(long maxFile, long maxProject, int maxFiles, long maxZipInflated) {
        StaticProperties limits = new StaticProperties("public, max-age=300", DataSize.ofBytes(maxFile),
                DataSize.ofBytes(maxProject), maxFiles, 10, DataSize.ofBytes(maxZipInflated), 20,
                DataSize.ofKilobytes(1));
        long[] usage = jdbc.queryForObject("SELECT count(*), coalesce(sum(size), 0) FROM static_files"
                + " WHERE project_id = ?", (rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)}, projectId);
        return new UploadBatch(projectId, JdbcClient.create(jdbc), limits, usage[0], usage[1], files);
    }

    private static ByteArrayInputStream bytes(int n) {
        return new ByteArrayInputStream(new byte[n]);
    }

    private static String detail(Throwable e) {
        return e.getMessage();
    }

    @Test
    void theProjectsTotalSizeIsCappedCountingReplacedFilesOnce() {
        UploadBatch batch = batch(100, 250, 100, 10_000);
        batch.put("a.bin", bytes(100), "a");
        batch.put("b.bin", bytes(100), "b");
        batch.put("a.bin", bytes(100), "a again"); // a replacement adds nothing

        assertThatThrownBy(() -> batch.put("c.bin", bytes(51), "c")).isInstanceOf(TooLargeException.class)
                .satisfies(e -> assertThat(detail(e)).contains("c.bin").contains("250 bytes"));
        batch.put("c.bin", bytes(50), "c");
        assertThat(files.list(projectId, "")).hasSize(3);
    }

    @Test
    void theNumberOfFilesIsCapped() {
        UploadBatch batch = batch(100, 10_000, 2, 10_000);
        batch.put("a.txt", bytes(1), "a");
        batch.put("b.txt", bytes(1), "b");

        assertThatThrownBy(() -> batch.put("c.txt", bytes(1), "c")).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(detail(e)).contains("2 static files"));
        batch.put("b.txt", bytes(2), "b again");
        assertThat(files.list(projectId, "")).hasSize(2);
    }

    @Test
    void aStreamIsReadNoFurtherThanThePerFileLimit() {
        UploadBatch batch = batch(100, 10_000, 100, 10_000);
        ByteArrayInputStream endless = bytes(10_000);

        assertThatThrownBy(() -> batch.put("x.bin", endless, "file 'x.bin'")).isInstanceOf(TooLargeException.class)
                .satisfies(e -> assertThat(detail(e)).isEqualTo("file 'x.bin' is larger than the limit of 100"
                        + " bytes per file"));
        assertThat(endless.available()).as("bytes left unread").isEqualTo(10_000 - 101);
    }

    @Test
    void aZipIsCutOffWhenAllItsEntriesTogetherInflatePastItsLimit() throws IOException {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            entries.put("f" + i + ".bin", new byte[90]);
        }
        Path zip = Files.write(Files.createTempFile("limits-", ".zip"), StaticHttp.zip(entries));
        try {
            UploadBatch batch = batch(100, 10_000, 100, 300);

            assertThatThrownBy(() -> ZipImport.unpack(zip, "", true, batch)).isInstanceOf(TooLargeException.class)
                    .satisfies(e -> assertThat(detail(e)).contains("inflates to more than 300 bytes"));
        } finally {
            Files.delete(zip);
        }
    }

    @Test
    void replacingAFileWithTheSameBytesKeepsItsLastModified() {
        UploadBatch batch = batch(100, 10_000, 100, 10_000);
        StaticFile first = batch.put("a.txt", new ByteArrayInputStream("same".getBytes(StandardCharsets.UTF_8)), "a");
        // Until the database's clock (which stamps updated_at) has moved on, a wrongly refreshed time would look kept.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> jdbc.queryForObject("SELECT now()", OffsetDateTime.class).toInstant().isAfter(first.updatedAt()));

        StaticFile again = batch.put("a.txt", new ByteArrayInputStream("same".getBytes(StandardCharsets.UTF_8)), "a");

        assertThat(again.updatedAt()).isEqualTo(first.updatedAt());
        assertThat(again.sha256()).isEqualTo(first.sha256());
    }
}
