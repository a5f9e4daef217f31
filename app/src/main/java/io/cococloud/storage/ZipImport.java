package io.cococloud.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.cococloud.error.InvalidInputException;

/**
 * Unpacks an uploaded zip into a project's static files, as a folder tree. The zip's central directory is read
 * first (names and the number of entries are checked before anything is inflated); sizes it declares are never
 * trusted: each entry is inflated through a counter that stops at the per-file limit, and the whole zip at its
 * own limit, so a small zip that inflates to gigabytes is refused after a bounded amount of work.
 *
 * <p>When every file sits under one and the same top folder (a zipped "site/" folder), that folder is dropped:
 * {@code site/css/a.css} is stored as {@code css/a.css}. macOS's {@code __MACOSX/} and {@code .DS_Store}
 * entries are skipped. An entry that names the same file as another is refused.
 */
final class ZipImport {

    /** What a zip upload stored, and the top folder dropped from every name (or null). */
    record Result(List<StaticFile> files, String strippedFolder) {}

    private ZipImport() {
    }

    static Result unpack(Path zipFile, String folder, boolean stripTopFolder, UploadBatch batch) {
        StaticProperties limits = batch.limits();
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            if (zip.size() > limits.maxZipEntries()) {
                throw new InvalidInputException("The zip has " + zip.size() + " entries; the limit is "
                        + limits.maxZipEntries() + " (folders count too)");
            }
            Map<ZipEntry, List<String>> files = new LinkedHashMap<>();
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (!entry.isDirectory() && !skipped(entry.getName())) {
                    String name = StaticPaths.file(entry.getName(), "zip entry");
                    files.put(entry, List.of(name.split("/")));
                }
            }
            if (files.isEmpty()) {
                throw new InvalidInputException("The zip holds no files");
            }
            String stripped = stripTopFolder ? commonTopFolder(files.values()) : null;
            Set<String> seen = new HashSet<>();
            List<StaticFile> stored = new ArrayList<>();
            InflatedBytes inflated = new InflatedBytes(limits.maxZipInflated().toBytes());
            for (Map.Entry<ZipEntry, List<String>> file : files.entrySet()) {
                List<String> segments = file.getValue();
                String relative = String.join("/", stripped == null ? segments : segments.subList(1, segments.size()));
                String path = StaticPaths.file(folder + relative, "zip entry '" + file.getKey().getName() + "' at");
                if (!seen.add(path)) {
                    throw new InvalidInputException("The zip has two entries for " + path);
                }
                try (InputStream in = inflated.count(zip.getInputStream(file.getKey()))) {
                    stored.add(batch.put(path, in, "zip entry '" + file.getKey().getName() + "'"));
                }
            }
            return new Result(stored, stripped);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: ZipFile's own refusal of a malformed name or header
            throw new InvalidInputException("The zip could not be read: " + e.getMessage(), e);
        }
    }

    /** Finder's resource forks and folder settings, which nobody means to publish. */
    private static boolean skipped(String name) {
        return name.startsWith("__MACOSX/") || name.equals(".DS_Store") || name.endsWith("/.DS_Store");
    }

    /** The first folder every file shares, or null (a file at the top, or two top folders). */
    private static String commonTopFolder(Collection<List<String>> names) {
        String top = null;
        for (List<String> segments : names) {
            if (segments.size() < 2 || (top != null && !top.equals(segments.getFirst()))) {
                return null;
            }
            top = segments.getFirst();
        }
        return top;
    }

    /** Counts the bytes every entry of one zip really inflates to, across entries, and stops at the limit. */
    private static final class InflatedBytes {
        private final long limit;
        private long total;

        InflatedBytes(long limit) {
            this.limit = limit;
        }

        InputStream count(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        add(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        add(n);
                    }
                    return n;
                }
            };
        }

        private void add(long n) {
            total += n;
            if (total > limit) {
                throw UploadBatch.tooLarge("The zip inflates to more than " + UploadBatch.describe(limit)
                        + "; that is the limit for one zip");
            }
        }
    }
}
