package io.cococloud.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.io.IOAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of GraalPy's standard library with its bytecode compiled, made once per machine and GraalPy version, and
 * mounted read-only at {@link #MOUNT} first on every sandboxed context's {@code sys.path}.
 *
 * <p>Why: a sandboxed context cannot write bytecode, so without this every context compiles each standard module it
 * imports from source, and on GraalPy 25.2.4 each closed context keeps what it compiled (oracle/graalpython#1083;
 * ~100 MB for one that imported Flask). Code loaded from bytecode is shared by all contexts of the engine instead.
 *
 * <p>The step is trusted: it runs GraalPy outside the sandbox, with access to the disk, and runs no tenant code. The
 * bytecode is timestamp-based: it records each source's modification time on disk, which is what the contexts' file
 * system reports for it. Made in a temporary folder and moved into place at once, so two servers starting together
 * on one machine never see half a copy.
 */
final class CompiledStandardLibrary {

    /** Where contexts see the copy. */
    static final String MOUNT = "/stdlib";

    private static final Logger log = LoggerFactory.getLogger(CompiledStandardLibrary.class);
    private static final String COMPLETE = ".complete";
    /** Changes when what the copy holds changes (2: code file names under /stdlib, not the host's path). */
    private static final int LAYOUT = 2;
    /** A half-made copy older than this was left by a server that stopped while making it. */
    private static final Duration ABANDONED = Duration.ofHours(1);

    /** Copies the standard library (without its tests, GUI and packaging tools) to `target` and compiles it. */
    private static final String COMPILE = """
            import compileall, os, py_compile, shutil, sys
            source = os.path.dirname(os.__file__)
            left_out = {"test", "idlelib", "tkinter", "turtledemo", "lib2to3", "ensurepip", "site-packages", "venv",
                        "__pycache__"}
            shutil.copytree(source, target, ignore=lambda folder, names: [n for n in names if n in left_out])
            # ddir: the code's file names are where contexts see the copy, never this host's path
            if not compileall.compile_dir(target, ddir="/stdlib", quiet=1, workers=1,
                                          invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP):
                raise RuntimeError("some modules of the standard library did not compile")
            """;

    private CompiledStandardLibrary() {}

    /** The folder that holds a complete copy under {@code cacheRoot}, compiled now unless there already; null if it cannot be made. */
    static Path prepare(Path cacheRoot, String graalPyVersion) {
        Path folder = cacheRoot.resolve("stdlib-graalpy-" + graalPyVersion + "-" + LAYOUT);
        if (Files.exists(folder.resolve(COMPLETE))) {
            return folder;
        }
        removeAbandonedCopies(cacheRoot);
        long started = System.nanoTime();
        Path temporary = cacheRoot.resolve(folder.getFileName() + ".part-" + UUID.randomUUID());
        try {
            Files.createDirectories(cacheRoot);
            compile(temporary);
            Files.createFile(temporary.resolve(COMPLETE));
            try {
                Files.move(temporary, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // another server made it meanwhile (or the disk cannot move a folder at once): use what is there
                deleteQuietly(temporary);
                if (!Files.exists(folder.resolve(COMPLETE))) {
                    throw e;
                }
            }
            log.info("Compiled GraalPy's standard library into {} in {} ms", folder,
                    (System.nanoTime() - started) / 1_000_000);
            return folder;
        } catch (IOException | UncheckedIOException | PolyglotException e) {
            deleteQuietly(temporary);
            log.warn("Could not compile GraalPy's standard library into {}: contexts compile it from source, and "
                    + "each closed context keeps memory (oracle/graalpython#1083)", folder, e);
            return null;
        }
    }

    private static void compile(Path target) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (Context trusted = Context.newBuilder("python")
                .allowIO(IOAccess.ALL)
                .out(output)
                .err(output)
                .option("engine.WarnInterpreterOnly", "false")
                .build()) {
            trusted.getBindings("python").putMember("target", target.toString());
            trusted.eval("python", COMPILE);
        } catch (PolyglotException e) {
            log.warn("Compiling the standard library said: {}", output.toString());
            throw e;
        }
    }

    private static void removeAbandonedCopies(Path cacheRoot) {
        if (!Files.isDirectory(cacheRoot)) {
            return;
        }
        Instant before = Instant.now().minus(ABANDONED);
        try (Stream<Path> entries = Files.list(cacheRoot)) {
            entries.filter(path -> path.getFileName().toString().contains(".part-")).filter(path -> {
                try {
                    return Files.getLastModifiedTime(path).toInstant().isBefore(before);
                } catch (IOException e) {
                    return false;
                }
            }).forEach(CompiledStandardLibrary::deleteQuietly);
        } catch (IOException e) {
            log.debug("Could not look for abandoned copies in {}", cacheRoot, e);
        }
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
