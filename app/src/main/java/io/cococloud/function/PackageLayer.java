package io.cococloud.function;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cococloud.runtime.FunctionCode;

/**
 * A project's package layer as the runtime sees it: every stored distribution with its files, which join each
 * function version's and the live site's files under {@code python_packages/}. The layer is loaded once per
 * project and shared: a version's merged maps hold the same strings and byte arrays, never copies.
 *
 * <p>A version that vendors a package itself keeps its own: a distribution whose top-level name the version already
 * has (at its code root or in its own {@code python_packages/}) is left out for that version.
 */
record PackageLayer(List<Distribution> distributions) {

    static final PackageLayer EMPTY = new PackageLayer(List.of());

    /**
     * @param topLevel the importable names it installs ("greeter", "six")
     * @param sources  its Python sources as text, by path from the install root
     * @param files    every file of it as bytes (sources included), by path from the install root
     * @param uploadedAt when it was stored (null for an upload not stored yet)
     */
    record Distribution(String name, String version, List<String> topLevel, Map<String, String> sources,
            Map<String, byte[]> files, java.time.Instant uploadedAt) {}

    /**
     * A version's text files and its whole tree (empty: its sources are all it has), with the layer merged in.
     *
     * @param stamp identifies the distributions merged in ("" when none): see {@link FunctionCode#layer()}
     */
    record Merged(Map<String, String> files, Map<String, byte[]> tree, String stamp) {}

    PackageLayer {
        distributions = List.copyOf(distributions);
    }

    /** What keeping the layer in memory costs, at most: its files' bytes, twice (its sources are kept as text too). */
    long bytes() {
        return distributions.stream().flatMap(d -> d.files().values().stream()).mapToLong(bytes -> bytes.length)
                .sum() * 2;
    }

    /** The layer's distributions as the requirements check counts them: as if vendored. */
    List<VendoredPackages.Distribution> asVendored() {
        return distributions.stream().map(d -> new VendoredPackages.Distribution(d.name(), d.version())).toList();
    }

    /**
     * The version's files with the layer's under {@code python_packages/}, leaving out every distribution whose
     * top-level name the version has. Its own files win any clash.
     *
     * @param files the version's text files (every Python source)
     * @param tree  every file of the version as bytes, or empty when its sources are all it has
     */
    Merged under(Map<String, String> files, Map<String, byte[]> tree) {
        List<Distribution> used = usedBy(files.keySet(), tree.keySet());
        if (used.isEmpty()) {
            return new Merged(files, tree, "");
        }
        Map<String, String> mergedFiles = new HashMap<>(files);
        Map<String, byte[]> mergedTree = new HashMap<>(tree);
        if (tree.isEmpty()) {
            files.forEach((path, text) -> mergedTree.put(path, text.getBytes(StandardCharsets.UTF_8)));
        }
        for (Distribution distribution : used) {
            distribution.sources().forEach((path, text) -> mergedFiles.putIfAbsent(VendoredPackages.FOLDER + path, text));
            distribution.files().forEach((path, bytes) -> mergedTree.putIfAbsent(VendoredPackages.FOLDER + path, bytes));
        }
        return new Merged(mergedFiles, mergedTree, stamp(used));
    }

    /** A short digest of which distributions, as uploaded when, a version carries: an upload changes it. */
    private static String stamp(List<Distribution> used) {
        StringBuilder all = new StringBuilder();
        used.forEach(d -> all.append(d.name()).append('=').append(d.version()).append('@').append(d.uploadedAt())
                .append(';'));
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(all.toString().getBytes(StandardCharsets.UTF_8));
            return "layer-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private List<Distribution> usedBy(Set<String> files, Set<String> tree) {
        if (distributions.isEmpty()) {
            return List.of();
        }
        Set<String> own = new HashSet<>();
        files.forEach(path -> own.add(topLevelName(path)));
        tree.forEach(path -> own.add(topLevelName(path)));
        List<Distribution> used = new ArrayList<>();
        for (Distribution distribution : distributions) {
            if (distribution.topLevel().stream().noneMatch(own::contains)) {
                used.add(distribution);
            }
        }
        return used;
    }

    /** The importable name a path installs: its first segment at the root or in python_packages/, without ".py". */
    static String topLevelName(String path) {
        String inside = path.startsWith(VendoredPackages.FOLDER) ? path.substring(VendoredPackages.FOLDER.length())
                : path;
        String first = inside.split("/", 2)[0];
        return !inside.contains("/") && first.endsWith(".py") ? first.substring(0, first.length() - 3) : first;
    }
}
