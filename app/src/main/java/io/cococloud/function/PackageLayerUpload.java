package io.cococloud.function;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cococloud.error.InvalidInputException;

/**
 * Reads an upload to a project's package layer: a zip (or a single wheel, which is a zip) holding pure-Python
 * distributions laid out as {@code pip install -t} leaves them, each a {@code *.dist-info} or {@code *.egg-info}
 * folder and the packages and modules it installs. Wheels inside are unpacked. The refusals and limits are the
 * function upload's own ({@link FunctionZip}, {@link FunctionFiles}, {@link VendoredPackages}): paths, native
 * extensions named with their package, compiled bytecode, 20,000 files and 64 MB inflated. Beyond those, every file
 * must belong to one distribution, so that replacing or deleting a distribution takes all of it.
 */
final class PackageLayerUpload {

    private static final Pattern METADATA_FOLDER = Pattern.compile("([^/]+)\\.(dist-info|egg-info)/.*");

    private PackageLayerUpload() {
    }

    /** The distributions of the upload, by PEP 503 name, with their files by path from the install root. */
    static List<PackageLayer.Distribution> read(byte[] zip) {
        FunctionFiles read = FunctionZip.read(zip, null);
        Map<String, byte[]> files = new TreeMap<>(read.data());
        read.map().forEach((path, text) -> files.put(path, text.getBytes(StandardCharsets.UTF_8)));
        Map<String, Map<String, byte[]>> byFolder = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Matcher metadata = METADATA_FOLDER.matcher(file.getKey());
            if (metadata.matches()) {
                String folder = metadata.group(1) + "." + metadata.group(2) + "/";
                byFolder.computeIfAbsent(folder, f -> new TreeMap<>()).put(file.getKey(), file.getValue());
            }
        }
        if (byFolder.isEmpty()) {
            throw new InvalidInputException("The upload holds no distribution: a package layer takes packages as"
                    + " pip install -t leaves them, each with its *.dist-info (or *.egg-info) folder, or wheels");
        }
        List<Claimant> claimants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, Map<String, byte[]>> folder : byFolder.entrySet()) {
            VendoredPackages alone = VendoredPackages.of(folder.getValue());
            VendoredPackages.Distribution distribution = alone.distributions().getFirst();
            if (!names.add(distribution.name())) {
                throw new InvalidInputException("The upload holds the distribution '" + distribution.name()
                        + "' twice (" + folder.getKey() + " and another); upload one version of it");
            }
            claimants.add(new Claimant(folder.getKey(), distribution, alone, recorded(folder.getValue(),
                    folder.getKey())));
        }
        Map<Claimant, Map<String, byte[]>> owned = new LinkedHashMap<>();
        claimants.forEach(c -> owned.put(c, new TreeMap<>()));
        files.forEach((path, content) -> owned.get(owner(path, claimants)).put(path, content));
        return claimants.stream().map(c -> distribution(c, owned.get(c))).toList();
    }

    /** A distribution of the upload, and what tells its files from the others'. */
    private record Claimant(String folder, VendoredPackages.Distribution distribution, VendoredPackages installs,
            Set<String> recorded) {}

    /** The one distribution a file belongs to: its metadata folder, else the one installing its top-level name. */
    private static Claimant owner(String path, List<Claimant> claimants) {
        List<Claimant> claiming = new ArrayList<>();
        for (Claimant claimant : claimants) {
            if (path.startsWith(claimant.folder())) {
                return claimant;
            }
            if (claimant.installs().vendored(path)) {
                claiming.add(claimant);
            }
        }
        if (claiming.size() > 1) {
            // a namespace package two distributions share: the one whose RECORD lists the file owns it
            claiming.removeIf(c -> !c.recorded().contains(path));
        }
        if (claiming.size() == 1) {
            return claiming.getFirst();
        }
        if (claiming.isEmpty()) {
            throw new InvalidInputException("file '" + path + "' belongs to no distribution of the upload: a package"
                    + " layer holds distributions only (as pip install -t leaves them, each with its *.dist-info"
                    + " folder naming what it installs in top_level.txt or RECORD)");
        }
        throw new InvalidInputException("file '" + path + "' is claimed by the distributions " + String.join(" and ",
                claiming.stream().map(c -> c.distribution().name()).toList()) + "; upload them one at a time");
    }

    private static PackageLayer.Distribution distribution(Claimant claimant, Map<String, byte[]> files) {
        Set<String> topLevel = new TreeSet<>();
        Map<String, String> sources = new TreeMap<>();
        files.forEach((path, content) -> {
            if (!path.startsWith(claimant.folder())) {
                topLevel.add(PackageLayer.topLevelName(path));
            }
            if (path.endsWith(".py")) {
                sources.put(path, new String(content, StandardCharsets.UTF_8));
            }
        });
        return new PackageLayer.Distribution(claimant.distribution().name(), claimant.distribution().version(),
                List.copyOf(topLevel), sources, files, null);
    }

    /** The paths a distribution's RECORD lists (wheels have one; egg-info folders do not). */
    private static Set<String> recorded(Map<String, byte[]> metadata, String folder) {
        byte[] record = metadata.get(folder + "RECORD");
        if (record == null) {
            return Set.of();
        }
        Set<String> paths = new HashSet<>();
        new String(record, StandardCharsets.UTF_8).lines()
                .forEach(line -> paths.add(line.split(",", 2)[0].strip()));
        return paths;
    }
}
