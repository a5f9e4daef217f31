package io.cococloud.template;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Python {@code str} methods a Jinja2 template may call on a value ({@code name.upper()},
 * {@code tags.split(',')}), done on Java strings with Python's meaning. Nothing here takes a regular expression.
 */
final class PythonStrings {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private PythonStrings() {
    }

    static Object call(String s, String method, Object[] args) {
        return switch (method) {
            case "upper" -> s.toUpperCase();
            case "lower" -> s.toLowerCase();
            case "strip" -> args.length == 0 || args[0] == null ? s.strip() : stripChars(s, text(args[0]), true, true);
            case "lstrip" -> args.length == 0 || args[0] == null ? s.stripLeading()
                    : stripChars(s, text(args[0]), true, false);
            case "rstrip" -> args.length == 0 || args[0] == null ? s.stripTrailing()
                    : stripChars(s, text(args[0]), false, true);
            case "startswith" -> s.startsWith(text(arg(args, 0, method)));
            case "endswith" -> s.endsWith(text(arg(args, 0, method)));
            case "find" -> s.indexOf(text(arg(args, 0, method)));
            case "replace" -> replace(s, text(arg(args, 0, method)), text(arg(args, 1, method)),
                    args.length > 2 ? (int) Jinja2Filters.integer(args[2], -1) : -1);
            case "split" -> split(s, args.length == 0 || args[0] == null ? null : text(args[0]),
                    args.length > 1 ? (int) Jinja2Filters.integer(args[1], -1) : -1);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase() + s.substring(1).toLowerCase();
            case "title" -> new Jinja2Filters.Title().filter(s, null);
            default -> throw new IllegalArgumentException("no string method " + method);
        };
    }

    private static Object arg(Object[] args, int index, String method) {
        if (args.length <= index || args[index] == null) {
            throw new IllegalArgumentException(method + "() is missing an argument");
        }
        return args[index];
    }

    private static String text(Object value) {
        return String.valueOf(value);
    }

    private static String stripChars(String s, String chars, boolean leading, boolean trailing) {
        int start = 0;
        int end = s.length();
        while (leading && start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (trailing && end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int done = 0; done < count; done++) {
            int found = s.indexOf(old, at);
            if (found < 0 || old.isEmpty() && found >= s.length()) {
                break;
            }
            out.append(s, at, found).append(replacement);
            if (old.isEmpty()) {
                out.append(s.charAt(found));
                at = found + 1;
            } else {
                at = found + old.length();
            }
        }
        return out.append(s.substring(at)).toString();
    }

    private static List<String> split(String s, String separator, int maxsplit) {
        List<String> parts = new ArrayList<>();
        if (separator == null) {
            String rest = s.stripLeading();
            while (!rest.isEmpty()) {
                if (maxsplit >= 0 && parts.size() == maxsplit) {
                    parts.add(rest.stripTrailing());
                    return parts;
                }
                var matcher = WHITESPACE.matcher(rest);
                if (matcher.find()) {
                    parts.add(rest.substring(0, matcher.start()));
                    rest = rest.substring(matcher.end());
                } else {
                    parts.add(rest);
                    rest = "";
                }
            }
            return parts;
        }
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("split(): empty separator");
        }
        int at = 0;
        while (maxsplit < 0 || parts.size() < maxsplit) {
            int found = s.indexOf(separator, at);
            if (found < 0) {
                break;
            }
            parts.add(s.substring(at, found));
            at = found + separator.length();
        }
        parts.add(s.substring(at));
        return parts;
    }
}
