package io.cococloud.function;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.error.InvalidInputException;

/**
 * The operator's package sources ({@code coco.packages.wheelhouse}, then {@code coco.packages.index-url})
 * for the requirements of {@code requirements.txt} that nothing vendored meets. Without either, a deploy refuses
 * such a requirement, naming it, exactly as it always did: nothing needs an index.
 */
@Component
class PackageIndex {

    private final List<PackageSource> sources;
    private final WheelCache cache;
    private final int maxWheel;
    private final JsonMapper json;

    PackageIndex(PackageIndexProperties settings, JsonMapper json) {
        this.json = json;
        List<PackageSource> configured = new ArrayList<>();
        if (!settings.wheelhouse().isBlank()) {
            Path folder = Path.of(settings.wheelhouse());
            if (!Files.isDirectory(folder)) {
                throw new IllegalStateException("coco.packages.wheelhouse '" + folder + "' is not a folder");
            }
            configured.add(new Wheelhouse(folder));
        }
        if (!settings.indexUrl().isBlank()) {
            configured.add(new SimpleIndex(settings.indexUrl().strip(), settings.timeout()));
        }
        this.sources = List.copyOf(configured);
        this.cache = new WheelCache(settings.cacheSize().toBytes());
        this.maxWheel = (int) Math.min(settings.maxWheel().toBytes(), FunctionFiles.MAX_UPLOAD_BYTES);
    }

    /**
     * The files with what their requirements.txt needs and nothing vendors, resolved and unpacked into
     * {@code python_packages/} (with {@link ResolvedPackages#PATH} saying what came from where); the files as
     * they are when nothing is missing. Without a package source, a missing requirement is the deploy's 400.
     */
    FunctionFiles resolve(FunctionFiles files) {
        List<Requirement> missing = files.missingRequirements();
        if (missing.isEmpty()) {
            return files;
        }
        if (sources.isEmpty()) {
            throw new InvalidInputException(files.missingMessage(missing.getFirst()));
        }
        WheelResolver resolver = new WheelResolver(sources, cache, files.vendoredVersions(), maxWheel,
                FunctionFiles.MAX_UPLOAD_BYTES - files.totalBytes());
        WheelResolver.Resolution resolution = resolver.resolve(missing);
        Map<String, byte[]> wheels = new LinkedHashMap<>();
        resolution.resolved().forEach(r -> wheels.put(r.file(), r.wheel()));
        if (wheels.isEmpty() && resolution.notes().isEmpty()) {
            return files;
        }
        // a version made from an earlier one keeps that one's packages, and so their record
        ResolvedPackages record = resolvedIn(files.data()).and(ResolvedPackages.of(resolution));
        return files.withPackages(wheels, ResolvedPackages.PATH, record.json(json));
    }

    /** What a version's files say was resolved for it. */
    ResolvedPackages resolvedIn(Map<String, byte[]> data) {
        return ResolvedPackages.in(data, json);
    }

    ResolvedPackages resolved(byte[] record) {
        return ResolvedPackages.read(record, json);
    }
}
