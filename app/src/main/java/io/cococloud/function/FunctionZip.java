package io.cococloud.function;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.cococloud.web.ApiProblem;

/**
 * Reads a function's files from an uploaded zip. The central directory is read first, so names and the number
 * of entries are checked before anything is inflated; the sizes a zip declares are never trusted: each entry is
 * inflated at most to the per-file limit, and all of them at most to the total, so a small zip that inflates to
 * gigabytes is refused after a bounded amount of work.
 *
 * <p>When every file sits in one and the same top folder (what "compress folder" makes), that folder is dropped:
 * {@code hello/index.py} becomes {@code index.py}, unless the handler names a file under the folder as it is.
 */
final class FunctionZip {

    static final int MAX_ZIP_BYTES = 5 * 1024 * 1024;
    /** Entries in the central directory, folders and ignored leftovers included: bounds the work before limits. */
    static final int MAX_ZIP_ENTRIES = 1000;

    private FunctionZip() {
    }

    /**
     * @param handlerFile the entry file the function's handler names ("api/main.py"), or null
     */
    static FunctionFiles read(byte[] zip, String handlerFile) {
        if (zip.length == 0) {
            throw ApiProblem.badRequest("The zip is empty");
        }
        if (zip.length > MAX_ZIP_BYTES) {
            throw ApiProblem.badRequest("The zip is " + zip.length + " bytes; the limit is " + MAX_ZIP_BYTES
                    + " bytes (5 MB)");
        }
        Path copy = null;
        try {
            // ZipFile reads the central directory, and needs a file for that
            copy = Files.createTempFile("cococloud-function-", ".zip");
            Files.write(copy, zip);
            try (ZipFile archive = new ZipFile(copy.toFile(), StandardCharsets.UTF_8)) {
                return read(archive, handlerFile);
            }
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: ZipFile's own refusal of a malformed name
            throw ApiProblem.badRequest("The upload is not a readable zip: " + e.getMessage());
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    // a temporary file; the system cleans its temp folder
                }
            }
        }
    }

    private static FunctionFiles read(ZipFile archive, String handlerFile) throws IOException {
        if (archive.size() > MAX_ZIP_ENTRIES) {
            throw ApiProblem.badRequest("The zip has " + archive.size() + " entries; the limit is "
                    + MAX_ZIP_ENTRIES + " (folders count too)");
        }
        Map<String, ZipEntry> entries = new LinkedHashMap<>();
        for (ZipEntry entry : Collections.list(archive.entries())) {
            if (entry.isDirectory()) {
                continue;
            }
            String path = FunctionFiles.path(entry.getName(), "zip entry");
            if (!FunctionFiles.ignored(path)) {
                if (entries.put(path, entry) != null) {
                    throw ApiProblem.badRequest("The zip has two entries for '" + path + "'");
                }
            }
        }
        if (entries.isEmpty()) {
            throw ApiProblem.badRequest("The zip holds no files");
        }
        if (entries.size() > FunctionFiles.MAX_FILES) {
            throw ApiProblem.badRequest("The zip holds " + entries.size() + " files; the limit is "
                    + FunctionFiles.MAX_FILES + " files per function");
        }
        String top = handlerFile != null && entries.containsKey(handlerFile) ? null : commonTopFolder(entries.keySet());
        FunctionFiles.Builder files = new FunctionFiles.Builder();
        long budget = FunctionFiles.MAX_TOTAL_BYTES;
        for (Map.Entry<String, ZipEntry> entry : entries.entrySet()) {
            String path = top == null ? entry.getKey() : entry.getKey().substring(top.length() + 1);
            byte[] bytes;
            try (InputStream in = archive.getInputStream(entry.getValue())) {
                bytes = in.readNBytes((int) Math.min(FunctionFiles.MAX_FILE_BYTES, budget) + 1);
            }
            if (bytes.length > FunctionFiles.MAX_FILE_BYTES) {
                throw ApiProblem.badRequest("file '" + path + "' is more than " + FunctionFiles.MAX_FILE_BYTES
                        + " bytes (512 KB); that is the limit per file");
            }
            if (bytes.length > budget) {
                throw ApiProblem.badRequest("The files are more than " + FunctionFiles.MAX_TOTAL_BYTES
                        + " bytes (5 MB) together; that is the limit per function");
            }
            budget -= bytes.length;
            files.add(path, text(path, bytes));
        }
        return files.build();
    }

    /** The file's text; a binary or non-UTF-8 file is refused by name (vendored packages and data come later). */
    private static String text(String path, byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                throw ApiProblem.badRequest("file '" + path + "' is binary; a function's files must be UTF-8 text");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiProblem.badRequest("file '" + path + "' is not UTF-8 text; a function's files must be UTF-8");
        }
    }

    /** The first folder every file shares, or null (a file at the top, or two top folders). */
    private static String commonTopFolder(Iterable<String> paths) {
        String top = null;
        for (String path : paths) {
            List<String> segments = List.of(path.split("/"));
            if (segments.size() < 2 || (top != null && !top.equals(segments.getFirst()))) {
                return null;
            }
            top = segments.getFirst();
        }
        return top;
    }
}
