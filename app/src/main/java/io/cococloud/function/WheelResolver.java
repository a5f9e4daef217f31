package io.cococloud.function;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.cococloud.error.InvalidInputException;
import io.cococloud.error.UpstreamFailureException;

/**
 * Resolves the requirements nothing vendored meets from the operator's package sources, as {@code pip install}
 * would for a pure-Python sandbox: for each, the newest version that meets its specifier and has a pure-Python
 * wheel ({@link WheelName#pure()}), then that wheel's own {@code Requires-Dist}, recursively, each distribution
 * once. Extras are not resolved; environment markers are evaluated for GraalPy 3.12 on Linux ({@link Marker}),
 * and a requirement whose marker is not simple is skipped with a note. One resolver serves one deploy.
 *
 * <p>Pre-releases are chosen only when the specifier names one, yanked files (PEP 592) only for an exact
 * {@code ==} pin, and a file whose {@code data-requires-python} excludes Python 3.12 never.
 */
final class WheelResolver {

    /** Distributions one deploy may resolve: a runaway dependency tree stops here. */
    static final int MAX_DISTRIBUTIONS = 200;
    private static final String PYTHON = "3.12.8";
    private static final int MAX_METADATA_BYTES = 1024 * 1024;
    private static final Pattern PRE_RELEASE = Pattern.compile("[0-9](a|b|rc|c|alpha|beta|pre|preview|dev)[0-9]*",
            Pattern.CASE_INSENSITIVE);

    /** A distribution resolved from a source, with its wheel. */
    record Resolved(String name, String version, String source, String sha256, String requiredBy, String file,
            byte[] wheel) {}

    /** What a deploy resolved, and the requirements it skipped (and why). */
    record Resolution(List<Resolved> resolved, List<String> notes) {}

    /** A requirement to resolve, and who asked for it ("requirements.txt", "pkg 1.0"). */
    private record Pending(Requirement requirement, String requiredBy) {
        String asked() {
            return (requiredBy.equals(VendoredPackages.REQUIREMENTS) ? VendoredPackages.REQUIREMENTS
                    : requiredBy + " (Requires-Dist)") + " requires '" + requirement.text() + "'";
        }
    }

    private final List<PackageSource> sources;
    private final WheelCache cache;
    private final Map<String, String> vendored;
    private final int maxWheel;
    private long bytesLeft;

    /**
     * @param vendored  the versions of the distributions the upload vendors, by normalised name
     * @param bytesLeft what the downloaded wheels may weigh together (the upload's limit, less what it holds)
     */
    WheelResolver(List<PackageSource> sources, WheelCache cache, Map<String, String> vendored, int maxWheel,
            long bytesLeft) {
        this.sources = sources;
        this.cache = cache;
        this.vendored = vendored;
        this.maxWheel = maxWheel;
        this.bytesLeft = bytesLeft;
    }

    Resolution resolve(List<Requirement> requirements) {
        Deque<Pending> pending = new ArrayDeque<>();
        requirements.forEach(r -> pending.add(new Pending(r, VendoredPackages.REQUIREMENTS)));
        Map<String, Resolved> chosen = new LinkedHashMap<>();
        java.util.Set<String> notes = new java.util.LinkedHashSet<>();
        while (!pending.isEmpty()) {
            Pending next = pending.poll();
            Requirement requirement = next.requirement();
            if (requirement.marker() != null) {
                Optional<Boolean> applies = Marker.evaluate(requirement.marker());
                if (applies.isEmpty()) {
                    notes.add("skipped " + next.asked() + ": its environment marker is not one this server"
                            + " evaluates");
                    continue;
                }
                if (!applies.get()) {
                    continue;
                }
            }
            if (!requirement.extras().isEmpty()) {
                notes.add("extras " + requirement.extras() + " of " + requirement.name() + " are not resolved ("
                        + next.asked() + ")");
            }
            String name = requirement.name();
            if (vendored.containsKey(name)) {
                if (!requirement.allows(vendored.get(name))) {
                    throw new InvalidInputException(next.asked() + ", but the vendored " + name + " is "
                            + vendored.get(name));
                }
                continue;
            }
            Resolved earlier = chosen.get(name);
            if (earlier != null) {
                if (!requirement.allows(earlier.version())) {
                    throw new InvalidInputException(next.asked() + ", but " + name + " " + earlier.version()
                            + " was resolved for " + earlier.requiredBy() + "; no single version meets both");
                }
                continue;
            }
            if (requirement.url() != null) {
                throw new InvalidInputException(next.asked() + ": a direct URL is not resolved from the package index;"
                        + " vendor the package (pip install -t . or python_packages/)");
            }
            if (!VendoredPackages.simple(requirement.specifier())) {
                throw new InvalidInputException(next.asked() + ": the version specifier '" + requirement.specifier()
                        + "' is not one this server resolves (==, !=, >=, <=, >, <, ~=, ==X.*, separated by commas)");
            }
            if (chosen.size() == MAX_DISTRIBUTIONS) {
                throw new InvalidInputException(next.asked() + ": resolving requirements.txt needs more than "
                        + MAX_DISTRIBUTIONS + " distributions, the limit per deploy");
            }
            Resolved resolved = fetch(next, choose(next));
            chosen.put(name, resolved);
            for (String dependency : requiresDist(resolved)) {
                Requirement parsed = Requirement.parse(dependency);
                if (parsed == null) {
                    notes.add("skipped " + resolved.name() + " " + resolved.version() + "'s Requires-Dist '"
                            + dependency + "': not a requirement this server reads");
                } else {
                    pending.add(new Pending(parsed, resolved.name() + " " + resolved.version()));
                }
            }
        }
        return new Resolution(List.copyOf(chosen.values()), List.copyOf(notes));
    }

    /** The newest file that fits: a pure-Python wheel of the newest version that meets the specifier. */
    private PackageSource.IndexedFile choose(Pending pending) {
        Requirement requirement = pending.requirement();
        List<PackageSource.IndexedFile> files = new ArrayList<>();
        for (PackageSource source : sources) {
            try {
                source.files(requirement.name()).stream()
                        .filter(f -> requirement.name().equals(PackageFiles.project(f.name()))).forEach(files::add);
            } catch (IOException e) {
                throw unreadable(pending, source, e);
            }
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(pending.asked() + ", but " + describeSources()
                    + " has no distribution named " + requirement.name());
        }
        boolean preReleases = PRE_RELEASE.matcher(requirement.specifier()).find();
        boolean pinned = requirement.specifier().strip().matches("===?\\s*[^,*]+");
        TreeMap<PackageVersion, List<PackageSource.IndexedFile>> versions = new TreeMap<>(Comparator.reverseOrder());
        for (PackageSource.IndexedFile file : files) {
            PackageVersion version = PackageVersion.parse(PackageFiles.version(file.name()));
            if (version.valid() && requirement.allows(version.text()) && (preReleases || !version.preRelease())
                    && (pinned || !file.yanked())) {
                versions.computeIfAbsent(version, v -> new ArrayList<>()).add(file);
            }
        }
        if (versions.isEmpty()) {
            List<String> offered = files.stream().map(f -> PackageFiles.version(f.name())).distinct()
                    .map(PackageVersion::parse).sorted(Comparator.reverseOrder()).limit(10)
                    .map(PackageVersion::text).toList();
            throw new InvalidInputException(pending.asked() + ", but no version of " + requirement.name() + " in "
                    + describeSources() + " meets '" + requirement.specifier() + "' (it has "
                    + String.join(", ", offered) + (offered.size() == 10 ? ", ..." : "") + ")");
        }
        for (List<PackageSource.IndexedFile> candidates : versions.values()) {
            for (PackageSource.IndexedFile file : candidates) {
                WheelName wheel = WheelName.parse(file.name());
                if (wheel != null && wheel.pure() && (file.requiresPython() == null
                        || VendoredPackages.satisfies(PYTHON, file.requiresPython()))) {
                    return file;
                }
            }
        }
        List<PackageSource.IndexedFile> newest = versions.firstEntry().getValue();
        throw new InvalidInputException(pending.asked() + ", but " + describeSources() + " has no pure-Python wheel"
                + " (py3-none-any) of " + requirement.name() + " that meets it: " + requirement.name() + " "
                + versions.firstKey().text() + " has only " + String.join(", ", newest.stream().limit(5)
                        .map(f -> f.name() + " (" + why(f) + ")").toList())
                + "; CocoCloud runs pure-Python packages only");
    }

    /** Why a file of a matching version is not taken. */
    private static String why(PackageSource.IndexedFile file) {
        WheelName wheel = WheelName.parse(file.name());
        if (wheel == null) {
            return "a source distribution, which would have to be built";
        }
        if (!wheel.pure()) {
            return "a wheel for " + wheel.tags() + ", not pure Python";
        }
        return "for Python " + file.requiresPython() + ", not " + PYTHON;
    }

    /** The wheel's bytes, from the cache by its hash or downloaded within bounds and checked against its hash. */
    private Resolved fetch(Pending pending, PackageSource.IndexedFile file) {
        // a local wheelhouse is read again: the operator may replace a file, and reading it is cheap
        boolean cached = !(file.source() instanceof Wheelhouse);
        String known = file.sha256() != null ? file.sha256() : cached ? cache.hashOf(file.location()) : null;
        byte[] wheel = cached ? cache.get(known) : null;
        if (wheel == null) {
            try {
                wheel = file.source().read(file, (int) Math.max(0, Math.min(maxWheel, bytesLeft)));
            } catch (PackageFiles.TooLarge e) {
                throw new InvalidInputException(pending.asked() + ": " + e.getMessage() + ", more than "
                        + (maxWheel <= bytesLeft ? "the largest wheel this server downloads"
                                : "the upload may still hold (" + FunctionFiles.MAX_UPLOAD_BYTES
                                        + " bytes, 64 MB, in all, vendored packages included)"));
            } catch (IOException e) {
                throw unreadable(pending, file.source(), e);
            }
        }
        String sha256 = PackageFiles.sha256(wheel);
        if (file.sha256() != null && !file.sha256().equals(sha256)) {
            throw new InvalidInputException(pending.asked() + ": " + file.shown() + " has sha256 " + sha256
                    + ", not " + file.sha256() + " as the index states; the file is refused");
        }
        if (cached) {
            cache.put(file.location(), sha256, wheel);
        }
        bytesLeft -= wheel.length;
        WheelName name = WheelName.parse(file.name());
        return new Resolved(name.name(), name.version(), file.shown(), sha256, pending.requiredBy(), file.name(),
                wheel);
    }

    /** The wheel's Requires-Dist headers; a wheel without a readable METADATA of its own name is refused. */
    private List<String> requiresDist(Resolved resolved) {
        String metadata = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(resolved.wheel()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().matches("[^/]+\\.dist-info/METADATA")) {
                    metadata = new String(PackageFiles.bounded(zip, MAX_METADATA_BYTES, entry.getName()),
                            StandardCharsets.UTF_8);
                    break;
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(resolved.source() + " is not a readable wheel: " + e.getMessage());
        }
        if (metadata == null) {
            throw new InvalidInputException(resolved.source() + " is not a wheel: it has no .dist-info/METADATA");
        }
        List<String> requires = new ArrayList<>();
        String requiresPython = null;
        String name = null;
        for (String line : metadata.lines().toList()) {
            if (line.isBlank()) {
                break; // the description follows
            }
            int colon = line.indexOf(':');
            if (colon < 0 || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            String value = line.substring(colon + 1).strip();
            switch (line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT)) {
                case "requires-dist" -> requires.add(value);
                case "requires-python" -> requiresPython = value;
                case "name" -> name = value;
                default -> {
                }
            }
        }
        if (name == null || !VendoredPackages.normalised(name).equals(resolved.name())) {
            throw new InvalidInputException(resolved.source() + " names the distribution '" + name
                    + "' in its METADATA, not " + resolved.name());
        }
        if (requiresPython != null && !VendoredPackages.satisfies(PYTHON, requiresPython)) {
            throw new InvalidInputException(resolved.name() + " " + resolved.version() + " (" + resolved.source()
                    + ") requires Python " + requiresPython + "; functions run Python " + PYTHON);
        }
        return requires;
    }

    private UpstreamFailureException unreadable(Pending pending, PackageSource source, IOException e) {
        return new UpstreamFailureException("Resolving " + pending.asked() + ": " + source
                + " could not be read (" + e.getMessage() + "); try the deploy again, or vendor the package", e);
    }

    private String describeSources() {
        return String.join(" or ", sources.stream().map(Object::toString).toList());
    }
}
