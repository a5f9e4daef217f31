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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.cococloud.error.InvalidInputException;

/**
 * Unpacks a site's zip: {@code cloud-functions/...} is the code (routes and helper modules, by path within
 * {@code cloud-functions/}); {@code python_packages/...} at the zip's root holds the routes' third-party packages
 * (kept with the code at the same path, importable, never routes, never served); every other file is a static file
 * of the frontend (by path from the zip's root). The
 * central directory is read first (names and the number of entries are checked before anything is inflated);
 * declared sizes are never trusted: every entry is inflated through a counter, so a zip bomb is refused after a
 * bounded amount of work. Every refusal is a 400 naming the entry and the rule.
 */
final class SiteZip {

    static final String CODE_ROOT = "cloud-functions/";
    static final long MAX_ZIP_BYTES = 32L * 1024 * 1024;
    static final int MAX_FILES = 2000;
    static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    static final long MAX_INFLATED_BYTES = 100L * 1024 * 1024;
    static final int MAX_PATH_LENGTH = 512;

    /**
     * EdgeOne's folders that are never part of a build (virtual environments, local scripts and tests): inside
     * cloud-functions/ they are neither routes nor importable.
     */
    static final Set<String> EXCLUDED_FOLDERS = Set.of("__pycache__", ".git", "node_modules", "venv", ".venv",
            "scripts", "tests", ".pytest_cache");
    /** Third-party packages of issue 12: kept with the code, never routes. */
    static final String PACKAGES_FOLDER = "python_packages";

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:");

    /** The unpacked site: code by path within cloud-functions/, static files by path from the root. */
    record Contents(Map<String, String> code, Map<String, byte[]> statics) {}

    private SiteZip() {
    }

    static Contents unpack(byte[] zipBytes) {
        if (zipBytes.length == 0) {
            throw new InvalidInputException("The body is empty; send the site as a zip");
        }
        if (zipBytes.length > MAX_ZIP_BYTES) {
            throw new InvalidInputException("The zip is " + zipBytes.length + " bytes; the limit is " + MAX_ZIP_BYTES);
        }
        Path file = null;
        try {
            file = Files.createTempFile("site", ".zip");
            Files.write(file, zipBytes);
            try (ZipFile zip = new ZipFile(file.toFile())) {
                return read(zip);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException("The body is not a readable zip: " + e.getMessage());
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static Contents read(ZipFile zip) throws IOException {
        List<? extends ZipEntry> entries = Collections.list(zip.entries());
        long files = entries.stream().filter(e -> !e.isDirectory()).count();
        if (files > MAX_FILES) {
            throw new InvalidInputException("The zip has " + files + " files; the limit is " + MAX_FILES);
        }
        Map<String, String> code = new LinkedHashMap<>();
        Map<String, byte[]> statics = new LinkedHashMap<>();
        long inflated = 0;
        for (ZipEntry entry : entries) {
            if (entry.isDirectory() || skipped(entry.getName())) {
                continue;
            }
            String path = path(entry.getName());
            byte[] bytes;
            try (InputStream in = zip.getInputStream(entry)) {
                bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw new InvalidInputException("The zip entry '" + path + "' is larger than the limit of "
                        + MAX_FILE_BYTES + " bytes per file");
            }
            inflated += bytes.length;
            if (inflated > MAX_INFLATED_BYTES) {
                throw new InvalidInputException("The zip inflates to more than the limit of " + MAX_INFLATED_BYTES
                        + " bytes");
            }
            boolean packages = path.startsWith(PACKAGES_FOLDER + "/");
            if (path.startsWith(CODE_ROOT) || packages) {
                // beside cloud-functions/, the packages land where the routes import them from: code's python_packages/
                String inCode = packages ? path : path.substring(CODE_ROOT.length());
                if (excluded(inCode)) {
                    continue;
                }
                FunctionFiles.refuseBytecode(path, bytes);
                String text = utf8(bytes);
                if (text == null) {
                    if (inCode.endsWith(".py")) {
                        throw new InvalidInputException("The file '" + path + "' is not UTF-8 text");
                    }
                    continue; // a binary file beside the code: neither served nor importable
                }
                if (code.put(inCode, text) != null) {
                    throw new InvalidInputException("The zip has two entries for '" + path + "'" + (packages
                            ? " (also under " + CODE_ROOT + "): keep the packages in one of the two folders" : ""));
                }
            } else if (statics.put(path, bytes) != null) {
                throw new InvalidInputException("The zip has two entries for '" + path + "'");
            }
        }
        if (code.isEmpty() && statics.isEmpty()) {
            throw new InvalidInputException("The zip holds no files");
        }
        return new Contents(code, statics);
    }

    /** The entry's normalised path ({@code ./a//b} is {@code a/b}), or a 400 naming why it cannot be one. */
    static String path(String raw) {
        String problem = problem(raw);
        if (problem != null) {
            throw new InvalidInputException("The zip entry '" + printable(raw) + "' " + problem);
        }
        StringBuilder path = new StringBuilder();
        for (String segment : raw.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                path.append(path.isEmpty() ? "" : "/").append(segment);
            }
        }
        return path.toString();
    }

    private static String problem(String raw) {
        if (raw.length() > MAX_PATH_LENGTH) {
            return "has a path of " + raw.length() + " characters; the limit is " + MAX_PATH_LENGTH;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == 0) {
                return "contains a NUL character";
            }
            if (Character.isISOControl(c)) {
                return "contains the control character U+" + String.format("%04X", (int) c);
            }
            if (c == '\\') {
                return "contains a backslash; separate folders with /";
            }
            if (c == '?' || c == '#' || c == ';' || c == '%') {
                return "contains '" + c + "', which a URL path cannot carry as it is";
            }
        }
        if (raw.startsWith("/")) {
            return "is absolute (starts with /); paths are relative to the site's root";
        }
        if (DRIVE.matcher(raw).find()) {
            return "looks like a Windows drive path; paths are relative to the site's root";
        }
        boolean named = false;
        for (String segment : raw.split("/")) {
            if (segment.equals("..")) {
                return "contains '..'; a path cannot leave the site";
            }
            named |= !segment.isEmpty() && !segment.equals(".");
        }
        return named ? null : "names no file";
    }

    /** Finder's resource forks and folder settings, and a git folder, which nobody means to publish. */
    private static boolean skipped(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("__macosx/") || lower.endsWith(".ds_store") || lower.startsWith(".git/")
                || lower.contains("/.git/");
    }

    private static boolean excluded(String pathInCode) {
        String[] segments = pathInCode.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            if (EXCLUDED_FOLDERS.contains(segments[i])) {
                return true;
            }
        }
        return false;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String printable(String raw) {
        StringBuilder shown = new StringBuilder();
        raw.codePoints().limit(100).forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04X", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return raw.length() > 100 ? shown + "..." : shown.toString();
    }
}
