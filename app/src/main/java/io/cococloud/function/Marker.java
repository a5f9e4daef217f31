package io.cococloud.function;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 508 environment markers ({@code python_version < "3.8" and sys_platform == "win32"}) evaluated for the
 * interpreter functions run on: GraalPy's Python 3.12 on Linux. A marker this evaluator does not understand (an
 * unknown variable, a version comparison of something that is not a version, a syntax it does not parse) is
 * "not simple": {@link #evaluate} gives no answer, and the caller skips the requirement with a note rather than
 * guessing. No extras are resolved, so {@code extra == "..."} is false.
 */
final class Marker {

    /** The sandbox's interpreter: GraalPy 25.2 implements Python 3.12.8 (sys.implementation.name "graalpy"). */
    private static final Map<String, String> ENVIRONMENT = Map.ofEntries(
            Map.entry("python_version", "3.12"),
            Map.entry("python_full_version", "3.12.8"),
            Map.entry("os_name", "posix"),
            Map.entry("sys_platform", "linux"),
            Map.entry("platform_system", "Linux"),
            Map.entry("platform_machine", "x86_64"),
            Map.entry("implementation_name", "graalpy"),
            Map.entry("platform_python_implementation", "GraalVM"),
            Map.entry("extra", ""));
    private static final List<String> VERSIONS = List.of("python_version", "python_full_version");
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(\\(|\\)|===|==|!=|<=|>=|~=|<|>|not\\s+in\\b|in\\b|and\\b|or\\b|'[^']*'|\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_.]*)");

    private final List<String> tokens;
    private int next;

    private Marker(List<String> tokens) {
        this.tokens = tokens;
    }

    /** The marker's value on GraalPy 3.12 / Linux, or empty when it is not simple enough to tell. */
    static Optional<Boolean> evaluate(String marker) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(marker);
        int at = 0;
        while (at < marker.length() && !marker.substring(at).isBlank()) {
            if (!m.find(at) || m.start() != at) {
                return Optional.empty();
            }
            tokens.add(m.group(1).replaceAll("\\s+", " "));
            at = m.end();
        }
        try {
            Marker parser = new Marker(tokens);
            boolean value = parser.or();
            return parser.next == tokens.size() ? Optional.of(value) : Optional.empty();
        } catch (NotSimple e) {
            return Optional.empty();
        }
    }

    private boolean or() {
        boolean value = and();
        while (accept("or")) {
            value = and() | value;
        }
        return value;
    }

    private boolean and() {
        boolean value = comparison();
        while (accept("and")) {
            value = comparison() & value;
        }
        return value;
    }

    private boolean comparison() {
        if (accept("(")) {
            boolean value = or();
            if (!accept(")")) {
                throw new NotSimple();
            }
            return value;
        }
        String leftToken = take();
        String op = take();
        String rightToken = take();
        String left = value(leftToken);
        String right = value(rightToken);
        boolean versions = VERSIONS.contains(leftToken) || VERSIONS.contains(rightToken);
        return switch (op) {
            case "in" -> right.contains(left);
            case "not in" -> !right.contains(left);
            case "===" -> left.equals(right);
            case "==", "!=", "<", "<=", ">", ">=", "~=" -> versions ? compareVersions(leftToken, left, op, right)
                    : switch (op) {
                        case "==" -> left.equals(right);
                        case "!=" -> !left.equals(right);
                        default -> throw new NotSimple(); // ordering of strings that are not versions
                    };
            default -> throw new NotSimple();
        };
    }

    /** A version comparison, written either way round ({@code python_version >= "3.8"}, {@code "3.8" <= ...}). */
    private static boolean compareVersions(String leftToken, String left, String op, String right) {
        if (VERSIONS.contains(leftToken)) {
            return VendoredPackages.satisfies(left, op + right);
        }
        String mirrored = switch (op) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            case "~=" -> throw new NotSimple();
            default -> op;
        };
        return VendoredPackages.satisfies(right, mirrored + left);
    }

    /** A quoted string's content, or a marker variable's value. */
    private static String value(String token) {
        if (token.length() >= 2 && (token.startsWith("'") || token.startsWith("\""))) {
            return token.substring(1, token.length() - 1);
        }
        String value = ENVIRONMENT.get(token);
        if (value == null) {
            throw new NotSimple();
        }
        return value;
    }

    private boolean accept(String token) {
        if (next < tokens.size() && tokens.get(next).equals(token)) {
            next++;
            return true;
        }
        return false;
    }

    private String take() {
        if (next == tokens.size()) {
            throw new NotSimple();
        }
        return tokens.get(next++);
    }

    /** The marker is beyond what this evaluator tells. */
    private static final class NotSimple extends RuntimeException {
        NotSimple() {
            super(null, null, false, false);
        }
    }
}
