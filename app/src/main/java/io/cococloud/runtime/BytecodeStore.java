package io.cococloud.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Functions' compiled bytecode kept on disk between starts, one file per file name and source, in a folder per
 * GraalPy version; the least recently used files go once the folder holds more than its limit.
 *
 * <p>Why: {@link FunctionBytecode} compiles in an engine of its own, and a restarted server made that engine for its
 * first call: ~0.4 s of a restart's first function response, and the engine's memory from then on. With the bytecode
 * here, a restart starts no compiler for code it has run before (bench/README.md, "Start-up and memory").
 *
 * <p>Only the server writes here (tenants' code never reaches the host's disk). A file carries a SHA-256 of its
 * bytecode, so a torn or damaged file is compiled again rather than handed to a context. Files are written to a
 * temporary name and moved into place at once: servers sharing the folder only ever read complete files.
 */
final class BytecodeStore {

    private static final Logger log = LoggerFactory.getLogger(BytecodeStore.class);
    private static final String SUFFIX = ".bytecode";
    private static final int CHECKSUM = 32;

    private final Path folder;
    private final long limitBytes;
    private final AtomicLong writtenSincePrune;

    /** A store in {@code folder} (made when first written) that keeps about {@code limitBytes} at most. */
    BytecodeStore(Path folder, long limitBytes) {
        this.folder = folder;
        this.limitBytes = limitBytes;
        // The first write prunes (the folder may hold what a server with a larger limit left), then every eighth of
        // the limit written. Not the start: listing a folder of thousands of files took ~0.1 s of CPU from a
        // restart's Python warm-up (bench/README.md, "Start-up and memory"), and a restart that runs only code it
        // ran before writes nothing.
        this.writtenSincePrune = new AtomicLong(limitBytes);
    }

    /** The folder of the bytecode of this GraalPy version under the runtime's cache. */
    static Path folder(Path cacheRoot, String graalPyVersion) {
        return cacheRoot.resolve("bytecode-graalpy-" + graalPyVersion);
    }

    /** The bytecode kept for this file name and source (its SHA-256), or null; a damaged file is removed. */
    byte[] read(String filename, String sourceSha256) {
        Path file = file(filename, sourceSha256);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            log.debug("Could not read {}; the file is compiled again", file, e);
            return null;
        }
        byte[] bytecode = content.length > CHECKSUM ? Arrays.copyOfRange(content, CHECKSUM, content.length) : null;
        if (bytecode == null || !Arrays.equals(sha256(bytecode), 0, CHECKSUM, content, 0, CHECKSUM)) {
            log.warn("Ignoring damaged bytecode in {}; the file is compiled again", file);
            deleteQuietly(file);
            return null;
        }
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis())); // recently used
        } catch (IOException e) {
            // pruned meanwhile: what was read is still good
        }
        return bytecode;
    }

    /** Keeps the bytecode of this file name and source; a failure only costs the next start a compile. */
    void write(String filename, String sourceSha256, byte[] bytecode) {
        Path file = file(filename, sourceSha256);
        Path temporary = folder.resolve(file.getFileName() + ".part-" + UUID.randomUUID());
        try {
            Files.createDirectories(folder);
            byte[] content = new byte[CHECKSUM + bytecode.length];
            System.arraycopy(sha256(bytecode), 0, content, 0, CHECKSUM);
            System.arraycopy(bytecode, 0, content, CHECKSUM, bytecode.length);
            Files.write(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.warn("Could not keep bytecode in {}; the next start compiles the file again", folder, e);
            deleteQuietly(temporary);
            return;
        }
        if (writtenSincePrune.addAndGet(bytecode.length) > limitBytes / 8) {
            prune();
        }
    }

    /** Removes the least recently used files until the folder holds at most its limit. */
    void prune() {
        writtenSincePrune.set(0);
        record Kept(Path path, long size, FileTime used) {}
        List<Kept> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(folder)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        files.add(new Kept(path, attributes.size(), attributes.lastModifiedTime()));
                    }
                } catch (IOException e) {
                    // removed meanwhile by another server's prune
                }
            }
        } catch (NoSuchFileException e) {
            return; // nothing written yet
        } catch (IOException e) {
            log.debug("Could not look at {}", folder, e);
            return;
        }
        files.sort(Comparator.comparing(Kept::used).reversed());
        long kept = 0;
        for (Kept file : files) {
            kept += file.size();
            if (kept > limitBytes) {
                deleteQuietly(file.path());
            }
        }
    }

    /** folder/&lt;SHA-256 of the file name and the source's SHA-256&gt;.bytecode */
    private Path file(String filename, String sourceSha256) {
        byte[] key = (filename + '\0' + sourceSha256).getBytes(StandardCharsets.UTF_8);
        return folder.resolve(HexFormat.of().formatHex(sha256(key)) + SUFFIX);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("Could not remove {}", file, e);
        }
    }
}
