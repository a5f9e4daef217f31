package io.cococloud.function;

import java.io.IOException;
import java.util.List;

/** Where distributions' files come from: a PEP 503 index, or a local wheelhouse folder. */
interface PackageSource {

    /** Every file the source offers for a project (its PEP 503 name); empty when it knows no such project. */
    List<IndexedFile> files(String project) throws IOException;

    /** A file's bytes, at most {@code maxBytes} of them (more is an IOException saying so). */
    byte[] read(IndexedFile file, int maxBytes) throws IOException;

    /**
     * One file of a project, as an index lists it.
     *
     * @param name           the file name ({@code pkg-1.0-py3-none-any.whl}, {@code pkg-1.0.tar.gz})
     * @param location       where to read it: a URL without its fragment, or a path in the wheelhouse
     * @param shown          how the deploy answer names where it came from (no credentials, no host paths)
     * @param sha256         the hash the index states ({@code #sha256=}), lower case, or null
     * @param requiresPython the index's {@code data-requires-python}, or null
     * @param yanked         whether the index marks it yanked (PEP 592)
     */
    record IndexedFile(String name, String location, String shown, String sha256, String requiresPython,
            boolean yanked, PackageSource source) {}
}
