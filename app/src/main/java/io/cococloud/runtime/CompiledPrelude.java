package io.cococloud.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytecode of the runtime's own Python package ({@code cococloud/*.py}, which every context imports), kept on
 * disk beside the compiled standard library, once per machine, GraalPy version and package sources.
 *
 * <p>Why: contexts load the package as bytecode made by {@link FunctionBytecode}, whose compiler is an engine of its
 * own; on a restart, making that engine and compiling the package again was part of the first context's seconds.
 * Seeded from disk, the first context loads the package without any compiling. The bytecode is what
 * FunctionBytecode made (same file names, so tracebacks still leave our frames out) and the folder's name carries a
 * hash of every source, so a changed package never meets old bytecode. Written to a temporary folder and moved into
 * place at once, as the standard library's copy is.
 */
final class CompiledPrelude {

    private static final Logger log = LoggerFactory.getLogger(CompiledPrelude.class);
    private static final String COMPLETE = ".complete";
    private static final String PREFIX = "<cococloud>/";

    private CompiledPrelude() {}

    /** Where the bytecode of these sources (file name → source) is kept for this GraalPy version. */
    static Path folder(Path cacheRoot, String graalPyVersion, Map<String, byte[]> sources) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(sources).forEach((name, source) -> {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(source);
                digest.update((byte) 0);
            });
            String hash = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
            return cacheRoot.resolve("prelude-graalpy-" + graalPyVersion + "-" + hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Seeds {@code bytecode} with what the folder holds; false when it holds no complete copy (nothing seeded). */
    static boolean load(Path folder, Map<String, byte[]> sources, FunctionBytecode bytecode) {
        if (!Files.exists(folder.resolve(COMPLETE))) {
            return false;
        }
        try {
            Map<String, byte[]> read = new TreeMap<>();
            for (String name : sources.keySet()) {
                read.put(name, Files.readAllBytes(file(folder, name)));
            }
            read.forEach((name, code) -> bytecode.seed(name, sources.get(name), code));
            return true;
        } catch (IOException e) {
            log.warn("Could not read the runtime package's bytecode in {}; it is compiled again", folder, e);
            return false;
        }
    }

    /**
     * Writes the bytecode of every source (compiled now unless {@code bytecode} has it already) into the folder,
     * unless a complete copy is there; a failure only costs the next start its compiling.
     */
    static void save(Path folder, Map<String, byte[]> sources, FunctionBytecode bytecode) {
        if (Files.exists(folder.resolve(COMPLETE))) {
            return;
        }
        Path temporary = folder.resolveSibling(folder.getFileName() + ".part-" + UUID.randomUUID());
        try {
            for (Map.Entry<String, byte[]> source : sources.entrySet()) {
                byte[] code = bytecode.of(source.getKey(), source.getValue());
                if (code == null) {
                    return; // did not compile here: contexts compile it themselves, nothing worth keeping
                }
                Path file = file(temporary, source.getKey());
                Files.createDirectories(file.getParent());
                Files.write(file, code);
            }
            Files.createFile(temporary.resolve(COMPLETE));
            try {
                Files.move(temporary, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // another server wrote it meanwhile (or the disk cannot move a folder at once): theirs is as good
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not keep the runtime package's bytecode in {}; the next start compiles it", folder, e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** "&lt;cococloud&gt;/cococloud/invoke.py" → folder/cococloud/invoke.py.bytecode */
    private static Path file(Path folder, String name) {
        String relative = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
        return folder.resolve(relative + ".bytecode");
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.debug("Could not remove {}", folder, e);
        }
    }
}
