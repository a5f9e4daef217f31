package io.cococloud.function;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.cococloud.error.InvalidInputException;

/**
 * One route of a site: a file of {@code cloud-functions/} with an entry point, and the URL paths it answers
 * (docs/functions.md): {@code api/hello.py} is {@code /api/hello}, {@code index.py} its folder, a {@code [id]}
 * segment one path segment, a last {@code [[rest]]} segment one or more.
 *
 * @param file      the path within cloud-functions/ ("api/users/[id].py")
 * @param style     how it runs, as the deploy's check found it
 * @param entryName its entry point's name
 * @param segments  the pattern, one element per path segment
 */
record SiteRoute(String file, String style, String entryName, List<Segment> segments) {

    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    /** A segment of a route's pattern. */
    record Segment(Kind kind, String text) {
        enum Kind { STATIC, PARAM, CATCH_ALL }

        @Override
        public String toString() {
            return switch (kind) {
                case STATIC -> text;
                case PARAM -> "[" + text + "]";
                case CATCH_ALL -> "[[" + text + "]]";
            };
        }
    }

    /** The route of a file; a 400 naming the file when its name cannot be one. */
    static SiteRoute of(String file, String style, String entryName) {
        String withoutPy = file.substring(0, file.length() - ".py".length());
        List<String> names = new ArrayList<>(List.of(withoutPy.split("/")));
        if (names.getLast().equals("index")) {
            names.removeLast();
        }
        List<Segment> segments = new ArrayList<>();
        List<String> paramNames = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Segment segment = segment(file, name);
            if (segment.kind() == Segment.Kind.CATCH_ALL && i != names.size() - 1) {
                throw refused(file, "has the catch-all '" + name + "' before its last segment; [[name]] matches"
                        + " the rest of the path, so it must be last");
            }
            if (segment.kind() != Segment.Kind.STATIC) {
                if (paramNames.contains(segment.text())) {
                    throw refused(file, "names the parameter '" + segment.text() + "' twice");
                }
                paramNames.add(segment.text());
            }
            segments.add(segment);
        }
        return new SiteRoute(file, style, entryName, List.copyOf(segments));
    }

    private static Segment segment(String file, String name) {
        if (name.startsWith("[[") && name.endsWith("]]")) {
            return new Segment(Segment.Kind.CATCH_ALL, paramName(file, name, name.substring(2, name.length() - 2)));
        }
        if (name.startsWith("[") && name.endsWith("]")) {
            return new Segment(Segment.Kind.PARAM, paramName(file, name, name.substring(1, name.length() - 1)));
        }
        if (name.indexOf('[') >= 0 || name.indexOf(']') >= 0) {
            throw refused(file, "has the segment '" + name + "'; a parameter is a whole segment: [name] or [[name]]");
        }
        return new Segment(Segment.Kind.STATIC, name);
    }

    private static String paramName(String file, String segment, String name) {
        if (!PARAM_NAME.matcher(name).matches()) {
            throw refused(file, "has the parameter '" + segment + "'; a parameter's name is letters, digits and _,"
                    + " not starting with a digit");
        }
        return name;
    }

    private static InvalidInputException refused(String file, String why) {
        return new InvalidInputException("The route file 'cloud-functions/" + file + "' " + why);
    }

    /** The most specific of the route's kinds: a route with any catch-all is a catch-all route, and so on. */
    Segment.Kind kind() {
        Segment.Kind kind = Segment.Kind.STATIC;
        for (Segment segment : segments) {
            if (segment.kind().ordinal() > kind.ordinal()) {
                kind = segment.kind();
            }
        }
        return kind;
    }

    /** The URL pattern, as listed: "/api/users/[id]". */
    String pattern() {
        StringBuilder pattern = new StringBuilder();
        for (Segment segment : segments) {
            pattern.append('/').append(segment);
        }
        return pattern.isEmpty() ? "/" : pattern.toString();
    }

    /** What two routes claiming the same paths share: the pattern with the parameters' names left out. */
    String shape() {
        StringBuilder shape = new StringBuilder();
        for (Segment segment : segments) {
            shape.append('/').append(switch (segment.kind()) {
                case STATIC -> segment.text();
                case PARAM -> "[]";
                case CATCH_ALL -> "[[]]";
            });
        }
        return shape.toString();
    }

    /**
     * The static segments before the first parameter: what a framework app (WSGI, ASGI) does not see of the path
     * ({@code /api} for api/index.py). "" at the root.
     */
    String prefix() {
        StringBuilder prefix = new StringBuilder();
        for (Segment segment : segments) {
            if (segment.kind() != Segment.Kind.STATIC) {
                break;
            }
            prefix.append('/').append(segment.text());
        }
        return prefix.toString();
    }

    /** A framework app also answers every path under its prefix (EdgeOne's framework mode). */
    boolean isApp() {
        return style.equals("wsgi") || style.equals("asgi");
    }

    /**
     * The parameters when this route's pattern matches the path's segments exactly (a catch-all takes one or
     * more), else null.
     */
    Map<String, String> match(List<String> path) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.kind() == Segment.Kind.CATCH_ALL) {
                if (path.size() <= i) {
                    return null;
                }
                params.put(segment.text(), String.join("/", path.subList(i, path.size())));
                return params;
            }
            if (i >= path.size()) {
                return null;
            }
            if (segment.kind() == Segment.Kind.STATIC) {
                if (!segment.text().equals(path.get(i))) {
                    return null;
                }
            } else {
                params.put(segment.text(), path.get(i));
            }
        }
        return segments.size() == path.size() ? params : null;
    }

    /** For a framework app: whether the path is under its prefix (the route's own path included). */
    boolean under(List<String> path) {
        if (kind() != Segment.Kind.STATIC || path.size() < segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            if (!segments.get(i).text().equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The route's stable identity within its project, across versions: its executions are recorded under it, so
     * they stay listable together after a redeploy.
     */
    static UUID idOf(UUID projectId, String file) {
        return UUID.nameUUIDFromBytes(("site-route:" + projectId + ":" + file).getBytes(StandardCharsets.UTF_8));
    }
}
