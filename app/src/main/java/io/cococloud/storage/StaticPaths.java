package io.cococloud.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cococloud.error.InvalidInputException;

/**
 * The one form a static file's path is stored and looked up in: relative, {@code /} between folders, no empty
 * or {@code .} segments. Anything that could name a place outside the project's files, or that a URL could not
 * carry back to the same file, is refused with a sentence saying what was wrong. Files live in the database, so
 * a path never reaches a file system; the rules still refuse traversal so that no path can mean two things.
 */
final class StaticPaths {

    static final int MAX_LENGTH = 512;
    static final int MAX_SEGMENT_LENGTH = 255;

    /** Percent-encoded bytes: decoded once by the server, a second decoding could turn them into / or .. */
    private static final Pattern ENCODED = Pattern.compile("%[0-9A-Fa-f]{2}");
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:");

    private StaticPaths() {
    }

    /**
     * A file's path, normalised ({@code a//b} and {@code ./a} become {@code a/b} and {@code a}).
     *
     * @param what names the path in the refusal, e.g. "path" or "zip entry 'x'"
     * @throws InvalidInputException naming the problem
     */
    static String file(String raw, String what) {
        if (raw != null && raw.endsWith("/")) {
            throw new InvalidInputException(what + " '" + printable(raw) + "' ends with /: it names a folder, not a file");
        }
        return normalise(raw, what);
    }

    /** A folder to put files in: "" for the root, else the normalised path with a trailing {@code /}. */
    static String folder(String raw, String what) {
        if (raw == null || raw.isEmpty() || raw.equals("/")) {
            return "";
        }
        return normalise(raw, what) + "/";
    }

    /** The stored form of a path from a URL, or empty when no file can have it (so the answer is a 404). */
    static Optional<String> lookup(String raw) {
        return problem(raw) == null ? Optional.of(String.join("/", segments(raw))) : Optional.empty();
    }

    private static String normalise(String raw, String what) {
        String problem = problem(raw);
        if (problem != null) {
            throw new InvalidInputException(what + (raw == null || raw.isEmpty() ? "" : " '" + printable(raw) + "'")
                    + " " + problem);
        }
        return String.join("/", segments(raw));
    }

    /** Why the path is refused, or null. */
    private static String problem(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "is empty";
        }
        if (raw.length() > MAX_LENGTH) {
            return "is " + raw.length() + " characters long; the limit is " + MAX_LENGTH;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == 0) {
                return "contains a NUL character";
            }
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return "contains the control character U+" + String.format("%04X", (int) c);
            }
            if (c == '\\') {
                return "contains a backslash; separate folders with /";
            }
            if (c == '?' || c == '#') {
                return "contains '" + c + "', which a URL path cannot carry";
            }
            if (c == ';') {
                return "contains ';', which servers strip from URL paths";
            }
        }
        Matcher encoded = ENCODED.matcher(raw);
        if (encoded.find()) {
            return "contains the percent-encoded sequence '" + encoded.group()
                    + "'; write the plain characters (encoded /, . and % are refused because they can hide a"
                    + " traversal)";
        }
        if (raw.startsWith("/")) {
            return "is absolute (starts with /); paths are relative to the project's static files";
        }
        if (DRIVE.matcher(raw).find()) {
            return "looks like a Windows drive path; paths are relative to the project's static files";
        }
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/", -1)) {
            if (segment.equals("..")) {
                return "contains '..'; a path cannot leave the project's static files";
            }
            if (segment.length() > MAX_SEGMENT_LENGTH) {
                return "has a name of " + segment.length() + " characters; the limit is " + MAX_SEGMENT_LENGTH;
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments.isEmpty() ? "names no file" : null;
    }

    private static List<String> segments(String raw) {
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/", -1)) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments;
    }

    /** The path as it may be quoted back: control characters shown as \\uXXXX, at most 100 characters. */
    static String printable(String raw) {
        StringBuilder shown = new StringBuilder();
        raw.codePoints().limit(100).forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                shown.append(String.format("\\u%04X", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return raw.length() > 100 ? shown + "..." : shown.toString();
    }
}
