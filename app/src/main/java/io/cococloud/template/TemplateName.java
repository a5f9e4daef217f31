package io.cococloud.template;

import java.util.regex.Pattern;

/**
 * The rule for a stored template's name: path-like segments ({@code emails/welcome.html}) of letters, digits,
 * {@code _ . -}, so a name can never climb out of its project ({@code ..}), start at a root, or carry a
 * backslash. Checked on every write and on every lookup, including {@code include} and {@code extends}.
 */
final class TemplateName {

    static final int MAX_LENGTH = 200;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]+");
    /** {@code GET /templates/{name}/versions} lists versions, so no name may end in that segment. */
    static final String VERSIONS = "versions";

    private TemplateName() {
    }

    /** Why {@code name} is not a valid template name, or null when it is. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a template name is required";
        }
        if (name.length() > MAX_LENGTH) {
            return "a template name has at most " + MAX_LENGTH + " characters; this one has " + name.length();
        }
        if (name.startsWith("/")) {
            return "a template name cannot start with '/'";
        }
        if (name.indexOf('\\') >= 0) {
            return "a template name cannot contain a backslash";
        }
        String[] segments = name.split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                return "a template name cannot contain an empty segment ('//' or a trailing '/')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "a template name cannot contain the segment '" + segment + "'";
            }
            if (!SEGMENT.matcher(segment).matches()) {
                return "each '/'-separated part of a template name may hold only letters, digits, '_', '.' and '-'";
            }
        }
        if (segments[segments.length - 1].equals(VERSIONS)) {
            return "a template name cannot end with the segment 'versions' (it names the list of versions)";
        }
        return null;
    }

    static boolean isValid(String name) {
        return problem(name) == null;
    }
}
