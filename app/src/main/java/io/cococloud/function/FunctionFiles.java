package io.cococloud.function;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.cococloud.web.ApiProblem;

/**
 * The source files of one function version, by path from the code root ("index.py", "lib/util.py"), checked
 * before anything runs or is stored: paths are relative, use '/', hold no "..", no NUL and no control
 * characters; every file is text; the number of files, each file's size, their total and the length of a path
 * are bounded. Editor and VCS leftovers ({@code __pycache__}, {@code .git}, {@code __MACOSX}, {@code .DS_Store})
 * are left out rather than refused: they come with any folder zipped as it is.
 */
final class FunctionFiles {

    static final int MAX_FILES = 300;
    static final int MAX_FILE_BYTES = 512 * 1024;
    static final int MAX_TOTAL_BYTES = 5 * 1024 * 1024;
    static final int MAX_PATH_LENGTH = 200;

    private static final Set<String> IGNORED_FOLDERS = Set.of("__pycache__", ".git", "__MACOSX");
    private static final Set<String> IGNORED_FILES = Set.of(".DS_Store");

    private final Map<String, String> files;

    private FunctionFiles(Map<String, String> files) {
        this.files = Collections.unmodifiableMap(files);
    }

    /** The files of a JSON {@code files} map; the keys are paths, the values the files' text. */
    static FunctionFiles of(Map<String, String> given) {
        Builder builder = new Builder();
        given.forEach((raw, text) -> {
            if (raw == null) {
                throw ApiProblem.badRequest("files has a null path");
            }
            String path = path(raw, "path");
            if (!ignored(path)) {
                if (text == null) {
                    throw ApiProblem.badRequest("file '" + path + "' has no content (null); an empty file is \"\"");
                }
                builder.add(path, text);
            }
        });
        return builder.build();
    }

    /** One file: a single-file function's code. */
    static FunctionFiles single(String path, String code) {
        return new FunctionFiles(new TreeMap<>(Map.of(path, code)));
    }

    /** Every file by path, in path order. */
    Map<String, String> map() {
        return files;
    }

    List<String> paths() {
        return List.copyOf(files.keySet());
    }

    boolean contains(String path) {
        return files.containsKey(path);
    }

    /** The same files with one replaced (or added). */
    FunctionFiles with(String path, String text) {
        Map<String, String> changed = new TreeMap<>(files);
        changed.put(path, text);
        return new FunctionFiles(changed);
    }

    /**
     * The normal form of a file's path, or a 400 naming what is wrong with it. "./" segments are dropped;
     * everything else that could name a file outside the code root, or two names for one file, is refused.
     *
     * @param what how the message names the path ("path", "zip entry")
     */
    static String path(String raw, String what) {
        String shown = printable(raw);
        if (raw.indexOf('\0') >= 0) {
            throw ApiProblem.badRequest(what + " '" + shown + "' contains a NUL character");
        }
        if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiProblem.badRequest(what + " '" + shown + "' contains a control character");
        }
        if (raw.indexOf('\\') >= 0) {
            throw ApiProblem.badRequest(what + " '" + shown + "' contains a backslash; separate folders with '/'");
        }
        if (raw.startsWith("/") || raw.matches("^[A-Za-z]:.*")) {
            throw ApiProblem.badRequest(what + " '" + shown + "' is absolute; paths start at the code root");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/", -1)) {
            if (segment.equals("..")) {
                throw ApiProblem.badRequest(what + " '" + shown + "' contains '..'; paths stay inside the code root");
            }
            if (segment.isEmpty()) {
                throw ApiProblem.badRequest(what + " '" + shown + "' has an empty folder or file name");
            }
            if (!segment.equals(".")) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty()) {
            throw ApiProblem.badRequest(what + " '" + shown + "' names no file");
        }
        String path = String.join("/", segments);
        if (path.length() > MAX_PATH_LENGTH) {
            throw ApiProblem.badRequest(what + " '" + shown + "' is " + path.length()
                    + " characters long; the limit is " + MAX_PATH_LENGTH);
        }
        return path;
    }

    /** Leftovers of editors, VCS and archivers, which nobody means to deploy. */
    static boolean ignored(String path) {
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            if (IGNORED_FOLDERS.contains(segments[i])) {
                return true;
            }
        }
        return IGNORED_FILES.contains(segments[segments.length - 1]) || IGNORED_FOLDERS.contains(segments[0]);
    }

    static String printable(String raw) {
        StringBuilder shown = new StringBuilder();
        raw.codePoints().limit(MAX_PATH_LENGTH + 20L).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.length() < raw.length() ? shown + "..." : shown.toString();
    }

    /** Collects files, refusing a second file at one path and stopping at the limits. */
    static final class Builder {
        private final Map<String, String> files = new TreeMap<>();
        private long totalBytes;

        /** @param path a path already in normal form */
        void add(String path, String text) {
            if (files.containsKey(path)) {
                throw ApiProblem.badRequest("Two files have the path '" + path + "'");
            }
            if (files.size() == MAX_FILES) {
                throw ApiProblem.badRequest("More than " + MAX_FILES + " files; the limit is " + MAX_FILES
                        + " files per function");
            }
            if (text.indexOf('\0') >= 0) {
                throw ApiProblem.badRequest("file '" + path + "' contains a NUL character: it is not text");
            }
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_FILE_BYTES) {
                throw ApiProblem.badRequest("file '" + path + "' is " + bytes + " bytes; the limit is "
                        + MAX_FILE_BYTES + " bytes (512 KB) per file");
            }
            totalBytes += bytes;
            if (totalBytes > MAX_TOTAL_BYTES) {
                throw ApiProblem.badRequest("The files are more than " + MAX_TOTAL_BYTES
                        + " bytes (5 MB) together; that is the limit per function");
            }
            files.put(path, text);
        }

        FunctionFiles build() {
            if (files.isEmpty()) {
                throw ApiProblem.badRequest("files holds no file");
            }
            return new FunctionFiles(files);
        }
    }
}
