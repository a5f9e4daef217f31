package io.cococloud.function;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A local folder of distributions the operator filled ({@code pip download -d} or {@code pip wheel -w}): its
 * {@code *.whl} files, and sdists only so that a refusal can say that only an sdist is there.
 */
final class Wheelhouse implements PackageSource {

    private final Path folder;

    Wheelhouse(Path folder) {
        this.folder = folder;
    }

    @Override
    public List<IndexedFile> files(String project) throws IOException {
        List<IndexedFile> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(folder)) {
            for (Path file : listing.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (project.equals(PackageFiles.project(name))) {
                    files.add(new IndexedFile(name, file.toString(), "wheelhouse/" + name, null, null, false, this));
                }
            }
        }
        return files;
    }

    @Override
    public byte[] read(IndexedFile file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(file.location()))) {
            return PackageFiles.bounded(in, maxBytes, file.name());
        }
    }

    @Override
    public String toString() {
        return "the wheelhouse";
    }
}
