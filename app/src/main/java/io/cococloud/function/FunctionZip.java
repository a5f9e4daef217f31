package io.cococloud.function;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.cococloud.error.InvalidInputException;

/**
 * Reads a function's files from an uploaded zip. The central directory is read first, so names and the number
 * of entries are checked before anything is inflated; the sizes a zip declares are never trusted: each entry is
 * inflated at most to the per-file limit, and all of them at most to the total, so a small zip that inflates to
 * gigabytes is refused after a bounded amount of work.
 *
 * <p>Wheels ({@code *.whl}) at the code root or in {@code python_packages/} are unpacked where they are, as
 * {@code pip install -t} would, under the same limits.
 *
 * <p>When every file sits in one and the same top folder (what "compress folder" makes), that folder is dropped:
 * {@code hello/index.py} becomes {@code index.py}, unless the handler names a file under the folder as it is.
 */
final class FunctionZip {

    /** Below the server's multipart limit (32 MB), so that a zip over it gets this 400 naming the limit. */
    static final int MAX_ZIP_BYTES = 30 * 1024 * 1024;
    /** Entries in the central directory, folders and ignored leftovers included: bounds the work before limits. */
    static final int MAX_ZIP_ENTRIES = 40_000;
    private static final Pattern WHEEL_DATA = Pattern.compile("[^/]+\\.data/([^/]+)/(.+)");

    private FunctionZip() {
    }

    /**
     * @param handlerFile the entry file the function's handler names ("api/main.py"), or null
     */
    static FunctionFiles read(byte[] zip, String handlerFile) {
        return read(zip, handlerFile, List.of());
    }

    /** @param inLayer the project's package layer's distributions, which requirements.txt may name */
    static FunctionFiles read(byte[] zip, String handlerFile, List<VendoredPackages.Distribution> inLayer) {
        if (zip.length == 0) {
            throw new InvalidInputException("The zip is empty");
        }
        if (zip.length > MAX_ZIP_BYTES) {
            throw new InvalidInputException("The zip is " + zip.length + " bytes; the limit is " + MAX_ZIP_BYTES
                    + " bytes (30 MB)");
        }
        Path copy = null;
        try {
            // ZipFile reads the central directory, and needs a file for that
            copy = Files.createTempFile("cococloud-function-", ".zip");
            Files.write(copy, zip);
            try (ZipFile archive = new ZipFile(copy.toFile(), StandardCharsets.UTF_8)) {
                return read(archive, handlerFile, inLayer);
            }
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: ZipFile's own refusal of a malformed name
            throw new InvalidInputException("The upload is not a readable zip: " + e.getMessage());
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

    private static FunctionFiles read(ZipFile archive, String handlerFile,
            List<VendoredPackages.Distribution> inLayer) throws IOException {
        Map<String, ZipEntry> entries = entries(archive);
        String top = handlerFile != null && entries.containsKey(handlerFile) ? null : commonTopFolder(entries.keySet());
        FunctionFiles.Builder files = new FunctionFiles.Builder(inLayer);
        Budget budget = new Budget();
        for (Map.Entry<String, ZipEntry> entry : entries.entrySet()) {
            String path = top == null ? entry.getKey() : entry.getKey().substring(top.length() + 1);
            byte[] bytes;
            try (InputStream in = archive.getInputStream(entry.getValue())) {
                bytes = budget.read(in);
            }
            String folder = wheelFolder(path);
            if (folder != null) {
                unpackWheel(path, bytes, folder, files, budget);
            } else {
                files.add(path, bytes);
            }
        }
        return files.build();
    }

    /** The entries of a zip that are files, by normal path, refused beyond the entry limit before inflating. */
    private static Map<String, ZipEntry> entries(ZipFile archive) {
        if (archive.size() > MAX_ZIP_ENTRIES) {
            throw new InvalidInputException("The zip has " + archive.size() + " entries; the limit is "
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
                    throw new InvalidInputException("The zip has two entries for '" + path + "'");
                }
            }
        }
        if (entries.isEmpty()) {
            throw new InvalidInputException("The zip holds no files");
        }
        if (entries.size() > FunctionFiles.MAX_UPLOAD_FILES) {
            throw new InvalidInputException("The zip holds " + entries.size() + " files; the limit is "
                    + FunctionFiles.MAX_UPLOAD_FILES + " files per upload");
        }
        return entries;
    }

    /**
     * The folder a wheel unpacks into: a {@code *.whl} at the code root unpacks there ({@code pip install -t .}),
     * one in {@code python_packages/} there; null for any other file (a wheel elsewhere is just a file).
     */
    private static String wheelFolder(String path) {
        if (!path.endsWith(".whl")) {
            return null;
        }
        if (!path.contains("/")) {
            return "";
        }
        String inside = path.substring(VendoredPackages.FOLDER.length());
        return path.startsWith(VendoredPackages.FOLDER) && !inside.contains("/") ? VendoredPackages.FOLDER : null;
    }

    /**
     * A wheel from elsewhere (the package index) unpacked into a folder of the files, within what the upload may
     * still hold.
     */
    static void unpackWheel(String wheel, byte[] bytes, String folder, FunctionFiles.Builder files) {
        try {
            unpackWheel(wheel, bytes, folder, files, new Budget(files.bytesLeft()));
        } catch (IOException e) {
            throw new InvalidInputException("The wheel '" + wheel + "' could not be unpacked: " + e.getMessage());
        }
    }

    /**
     * A wheel is a zip: its files join the upload under the same limits (a wheel in it is just a file). What a
     * wheel's {@code .data/purelib/} and {@code .data/platlib/} hold goes beside its packages, as pip installs it;
     * its other {@code .data/} folders (scripts, headers, data) are not installed into the code.
     */
    private static void unpackWheel(String wheel, byte[] bytes, String folder, FunctionFiles.Builder files,
            Budget budget) throws IOException {
        Path copy = Files.createTempFile("cococloud-wheel-", ".whl");
        try {
            Files.write(copy, bytes);
            try (ZipFile archive = new ZipFile(copy.toFile(), StandardCharsets.UTF_8)) {
                for (Map.Entry<String, ZipEntry> entry : entries(archive).entrySet()) {
                    String path = installed(entry.getKey());
                    if (path == null) {
                        continue;
                    }
                    try (InputStream in = archive.getInputStream(entry.getValue())) {
                        files.add(FunctionFiles.path(folder + path, "file of " + wheel), budget.read(in));
                    }
                }
            } catch (java.util.zip.ZipException e) {
                throw new InvalidInputException("The wheel '" + wheel + "' is not a readable zip: " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** Where pip installs a wheel's file (its {@code .data/purelib/} beside the packages), or null: not at all. */
    private static String installed(String path) {
        Matcher data = WHEEL_DATA.matcher(path);
        if (!data.matches()) {
            return path;
        }
        return data.group(1).equals("purelib") || data.group(1).equals("platlib") ? data.group(2) : null;
    }

    /** What is left of the upload's inflated bytes: no entry inflates past it, whatever it declares. */
    private static final class Budget {
        private long left;

        Budget() {
            this(FunctionFiles.MAX_UPLOAD_BYTES);
        }

        Budget(long left) {
            this.left = Math.max(0, left);
        }

        byte[] read(InputStream in) throws IOException {
            byte[] bytes = in.readNBytes((int) left + 1);
            if (bytes.length > left) {
                throw new InvalidInputException("The files are more than " + FunctionFiles.MAX_UPLOAD_BYTES
                        + " bytes (64 MB) together; that is the limit per upload, vendored packages included");
            }
            left -= bytes.length;
            return bytes;
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
