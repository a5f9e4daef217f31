package io.cococloud.function;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cococloud.error.InvalidInputException;

/**
 * The pure-Python distributions an upload vendors, as {@code pip install -t .} leaves them beside the entry file
 * (a {@code *.dist-info} or {@code *.egg-info} folder at the code root, and the packages it names) or in a
 * {@code python_packages/} folder. Tells the function's own files from vendored ones (only its own are
 * compile-checked at deploy and count against a function's source limits), refuses native extensions, and
 * checks a {@code requirements.txt} at the code root against what is vendored.
 *
 * <p>A file is vendored when it is under {@code python_packages/}, inside a distribution's metadata folder, or
 * under a top-level name a root distribution installs: the names in its {@code top_level.txt}, the first segments
 * of the paths in its {@code RECORD}, and its own name in import form ({@code Flask} → {@code flask}).
 */
final class VendoredPackages {

    static final String FOLDER = "python_packages/";
    static final String REQUIREMENTS = "requirements.txt";
    private static final Pattern METADATA_FOLDER = Pattern.compile("(?:" + FOLDER + ")?([^/]+)\\.(dist-info|egg-info)/.*");
    private static final Pattern CLAUSE = Pattern.compile("\\s*(===|==|!=|>=|<=|~=|>|<)\\s*([0-9][0-9A-Za-z.*+!-]*)\\s*");
    private static final Pattern NATIVE = Pattern.compile(".*\\.(so(\\.[0-9.]+)?|pyd|dylib)");

    /** A vendored distribution: its normalised name (PEP 503) and version. */
    record Distribution(String name, String version) {}

    private final List<Distribution> distributions;
    /** Top-level names (folders, or modules without ".py") that root distributions install. */
    private final Set<String> rootNames;

    private VendoredPackages(List<Distribution> distributions, Set<String> rootNames) {
        this.distributions = distributions;
        this.rootNames = rootNames;
    }

    /** @param files every file of the upload by its normal path */
    static VendoredPackages of(Map<String, byte[]> files) {
        for (String path : files.keySet()) {
            if (NATIVE.matcher(path).matches()) {
                throw new InvalidInputException("file '" + path + "' is a native extension (of the package '"
                        + packageOf(path) + "'); functions run pure-Python packages only: vendor a version"
                        + " without compiled code, or leave the compiled speed-up out if the package falls back");
            }
        }
        List<Distribution> distributions = new ArrayList<>();
        Set<String> rootNames = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (String path : files.keySet()) {
            Matcher metadata = METADATA_FOLDER.matcher(path);
            if (!metadata.matches()) {
                continue;
            }
            String folder = path.substring(0, path.indexOf("." + metadata.group(2) + "/") + metadata.group(2).length() + 2);
            if (!seen.add(folder)) {
                continue;
            }
            boolean wheel = metadata.group(2).equals("dist-info");
            byte[] meta = files.get(folder + (wheel ? "METADATA" : "PKG-INFO"));
            String[] stem = metadata.group(1).split("-", 2);
            String name = header(meta, "Name");
            String version = header(meta, "Version");
            Distribution distribution = new Distribution(normalised(name != null ? name : stem[0]),
                    version != null ? version : stem.length > 1 ? stem[1] : "");
            distributions.add(distribution);
            if (!folder.startsWith(FOLDER)) {
                rootNames.add(distribution.name().replace('-', '_'));
                rootNames.add((name != null ? name : stem[0]).replace('-', '_'));
                for (String line : lines(files.get(folder + "top_level.txt"))) {
                    rootNames.add(line);
                }
                for (String line : lines(files.get(folder + "RECORD"))) {
                    String recorded = line.split(",", 2)[0];
                    String first = recorded.split("/", 2)[0];
                    rootNames.add(first.endsWith(".py") ? first.substring(0, first.length() - 3) : first);
                }
            }
        }
        rootNames.removeIf(String::isEmpty);
        return new VendoredPackages(List.copyOf(distributions), Set.copyOf(rootNames));
    }

    /** Whether a file belongs to a vendored distribution rather than to the function's own code. */
    boolean vendored(String path) {
        if (path.startsWith(FOLDER) || METADATA_FOLDER.matcher(path).matches()) {
            return true;
        }
        int slash = path.indexOf('/');
        if (slash > 0) {
            return rootNames.contains(path.substring(0, slash));
        }
        // a module installed at the top ("six.py"); any other top-level file is the function's own
        return path.endsWith(".py") && rootNames.contains(path.substring(0, path.length() - 3));
    }

    List<Distribution> distributions() {
        return distributions;
    }

    /**
     * Every requirement of {@code requirements.txt} must be met by a vendored distribution: its name (PEP 503
     * normalised) and, when the specifier is a simple one ({@code ==}, {@code !=}, {@code >=}, {@code <=},
     * {@code >}, {@code <}, {@code ~=}, {@code ==X.*}), its version. Options ({@code -r}, {@code --hash}...),
     * URLs and environment markers are not resolved: only the name is checked then.
     */
    void checkRequirements(String requirements) {
        checkRequirements(requirements, List.of());
    }

    /** @param inLayer the distributions of the project's package layer, which count as vendored */
    void checkRequirements(String requirements, List<Distribution> inLayer) {
        List<Requirement> missing = missing(requirements, inLayer);
        if (!missing.isEmpty()) {
            throw new InvalidInputException(missingMessage(missing.getFirst()));
        }
    }

    /**
     * The requirements of {@code requirements.txt} that no vendored distribution has the name of, which a
     * package index may resolve; a line that is not a requirement, and a vendored distribution of a version the
     * requirement excludes, are refused here (an index would not change them).
     */
    List<Requirement> missing(String requirements) {
        return missing(requirements, List.of());
    }

    /** @param inLayer the distributions of the project's package layer, which count as vendored */
    List<Requirement> missing(String requirements, List<Distribution> inLayer) {
        List<Distribution> distributions = new ArrayList<>(this.distributions);
        distributions.addAll(inLayer);
        List<Requirement> missing = new ArrayList<>();
        int number = 0;
        String[] lines = requirements.split("\n");
        for (int at = 0; at < lines.length; at++) {
            number = at + 1;
            StringBuilder joined = new StringBuilder(lines[at]);
            // "flask==2.2.2 \" then "    --hash=sha256:...", as pip-compile --generate-hashes writes them
            while (joined.toString().stripTrailing().endsWith("\\") && at + 1 < lines.length) {
                joined.setLength(joined.toString().stripTrailing().length() - 1);
                joined.append(' ').append(lines[++at]);
            }
            String line = joined.toString().replaceAll("(^|\\s)#.*", "").replaceAll("\\s--hash[=\\s]\\S+", "")
                    .strip();
            if (line.isEmpty() || line.startsWith("-")) {
                continue;
            }
            Requirement requirement = Requirement.parse(line);
            if (requirement == null) {
                throw new InvalidInputException(REQUIREMENTS + " line " + number + " '" + FunctionFiles.printable(line)
                        + "' is not a requirement (name, then an optional version specifier)")
                        .with("file", REQUIREMENTS).with("line", number);
            }
            String name = requirement.name();
            List<Distribution> named = distributions.stream().filter(d -> d.name().equals(name)).toList();
            if (named.isEmpty()) {
                missing.add(requirement);
                continue;
            }
            final String wanted = requirement.url() != null ? "" : requirement.specifier();
            if (named.stream().noneMatch(d -> satisfies(d.version(), wanted))) {
                throw new InvalidInputException(REQUIREMENTS + " requires '" + line + "', but the vendored " + name
                        + " is " + String.join(", ", named.stream().map(Distribution::version).toList()));
            }
        }
        return missing;
    }

    /** Why a missing requirement is refused when no package index resolves it. */
    String missingMessage(Requirement requirement) {
        return REQUIREMENTS + " requires '" + requirement.text() + "', but no vendored package is "
                + requirement.name() + (distributions.isEmpty() ? " (the upload vendors none"
                : " (the upload vendors " + String.join(", ", distributions.stream()
                        .map(d -> d.name() + " " + d.version()).toList()))
                + "): install it beside the code (pip install -t .), in python_packages/ or in the project's"
                + " package layer";
    }

    /** Whether every clause of a specifier is one {@link #satisfies} checks ("" is: any version). */
    static boolean simple(String specifier) {
        if (specifier.isBlank()) {
            return true;
        }
        for (String clause : specifier.split(",")) {
            if (!CLAUSE.matcher(clause).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Whether a version meets every clause of a specifier; a clause that is not simple is not checked. */
    static boolean satisfies(String version, String specifier) {
        if (specifier.isBlank()) {
            return true;
        }
        for (String clause : specifier.split(",")) {
            Matcher m = CLAUSE.matcher(clause);
            if (!m.matches()) {
                continue;
            }
            String op = m.group(1);
            String wanted = m.group(2);
            if (wanted.endsWith(".*") && (op.equals("==") || op.equals("!="))) {
                String prefix = wanted.substring(0, wanted.length() - 2);
                boolean matches = compare(release(version, release(prefix).length), release(prefix)) == 0;
                if (matches != op.equals("==")) {
                    return false;
                }
                continue;
            }
            int c = compare(release(version), release(wanted));
            boolean ok = switch (op) {
                case "==", "===" -> c == 0;
                case "!=" -> c != 0;
                case ">=" -> c >= 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                default -> { // ~=X.Y: >= X.Y and == X.*
                    int[] w = release(wanted);
                    int[] prefix = java.util.Arrays.copyOf(w, Math.max(1, w.length - 1));
                    yield c >= 0 && compare(release(version, prefix.length), prefix) == 0;
                }
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The release numbers of a version ("2.2.2" → [2, 2, 2]); a pre- or post-release suffix is not compared. */
    private static int[] release(String version) {
        Matcher m = Pattern.compile("(?:[0-9]+!)?([0-9]+(?:\\.[0-9]+)*)").matcher(version.strip());
        if (!m.lookingAt()) {
            return new int[0];
        }
        String[] parts = m.group(1).split("\\.");
        int[] numbers = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            numbers[i] = Integer.parseInt(parts[i].length() > 9 ? parts[i].substring(0, 9) : parts[i]);
        }
        return numbers;
    }

    private static int[] release(String version, int length) {
        return java.util.Arrays.copyOf(release(version), length);
    }

    /** Compares release numbers, a missing number being 0 (1.0 == 1.0.0). */
    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] : 0;
            int y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    /** PEP 503: runs of '-', '_' and '.' are one '-', case does not matter. */
    static String normalised(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }

    /** The package a file belongs to: its top folder, the one under python_packages/, or the module itself. */
    private static String packageOf(String path) {
        String inside = path.startsWith(FOLDER) ? path.substring(FOLDER.length()) : path;
        String first = inside.split("/", 2)[0];
        return inside.contains("/") ? first : first.split("\\.", 2)[0];
    }

    /** The value of an RFC 822 style header of package metadata, or null. */
    private static String header(byte[] metadata, String name) {
        for (String line : lines(metadata)) {
            if (line.isEmpty()) {
                break; // the description follows
            }
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    private static List<String> lines(byte[] bytes) {
        if (bytes == null) {
            return List.of();
        }
        return new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip).toList();
    }
}
