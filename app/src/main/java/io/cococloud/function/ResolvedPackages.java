package io.cococloud.function;

import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a version's deploy resolved from the package index: each distribution (name, version, where it came from,
 * its sha256, who required it) and the notes on requirements it skipped. Kept with the version as one data file,
 * {@link #PATH}, beside the unpacked packages, so that the version's answer (and a later version that keeps the
 * packages) says where they came from.
 */
record ResolvedPackages(List<Distribution> resolved, List<String> notes) {

    static final String PATH = VendoredPackages.FOLDER + "cococloud-resolved.json";
    static final ResolvedPackages NONE = new ResolvedPackages(List.of(), List.of());

    /**
     * @param source     the wheel's URL on the index (without credentials), or {@code wheelhouse/<file>}
     * @param requiredBy "requirements.txt", or the distribution whose Requires-Dist named it ("pkg 1.0")
     */
    record Distribution(String name, String version, String source, String sha256, String requiredBy) {}

    static ResolvedPackages of(WheelResolver.Resolution resolution) {
        return new ResolvedPackages(resolution.resolved().stream().map(r -> new Distribution(r.name(), r.version(),
                r.source(), r.sha256(), r.requiredBy())).toList(), resolution.notes());
    }

    /** This record with what a later resolution added (its notes once each). */
    ResolvedPackages and(ResolvedPackages later) {
        List<Distribution> distributions = new java.util.ArrayList<>(resolved);
        distributions.addAll(later.resolved());
        java.util.Set<String> allNotes = new java.util.LinkedHashSet<>(notes);
        allNotes.addAll(later.notes());
        return new ResolvedPackages(List.copyOf(distributions), List.copyOf(allNotes));
    }

    /** The record among a version's data files; none when nothing was resolved (or it cannot be read). */
    static ResolvedPackages in(Map<String, byte[]> data, JsonMapper json) {
        return read(data.get(PATH), json);
    }

    static ResolvedPackages read(byte[] record, JsonMapper json) {
        if (record == null) {
            return NONE;
        }
        try {
            ResolvedPackages read = json.readValue(record, ResolvedPackages.class);
            return new ResolvedPackages(read.resolved() == null ? List.of() : read.resolved(),
                    read.notes() == null ? List.of() : read.notes());
        } catch (JacksonException e) {
            return NONE; // an uploaded file of that name that is not a record: it claims nothing
        }
    }

    byte[] json(JsonMapper json) {
        return json.writeValueAsBytes(this);
    }
}
