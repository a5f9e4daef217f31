package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's own package is compiled once per machine and GraalPy version and kept on disk: a later start loads
 * that bytecode without starting a compiler engine.
 */
class CompiledPreludeTest {

    static final Map<String, byte[]> SOURCES = Map.of(
            "<cococloud>/cococloud/__init__.py", "".getBytes(StandardCharsets.UTF_8),
            "<cococloud>/cococloud/greet.py", "def hello():\n    return 'hi'\n".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path cache;

    @Test
    void aLaterStartLoadsThePackagesBytecodeFromDiskWithoutCompilingIt() {
        Path folder = CompiledPrelude.folder(cache, "25.2.4", SOURCES);
        byte[] compiled;
        try (FunctionBytecode first = new FunctionBytecode(1 << 20)) {
            CompiledPrelude.save(folder, SOURCES, first);
            compiled = first.of("<cococloud>/cococloud/greet.py", SOURCES.get("<cococloud>/cococloud/greet.py"));
        }

        try (FunctionBytecode later = new FunctionBytecode(1 << 20)) {
            assertThat(CompiledPrelude.load(folder, SOURCES, later)).isTrue();
            assertThat(later.of("<cococloud>/cococloud/greet.py", SOURCES.get("<cococloud>/cococloud/greet.py")))
                    .isEqualTo(compiled);
            assertThat(later.compiles()).isZero();
        }
    }

    @Test
    void changedSourcesAreKeptInAnotherFolderSoTheyNeverMeetOldBytecode() {
        Map<String, byte[]> changed = Map.of(
                "<cococloud>/cococloud/__init__.py", "".getBytes(StandardCharsets.UTF_8),
                "<cococloud>/cococloud/greet.py", "def hello():\n    return 'hello'\n".getBytes(StandardCharsets.UTF_8));
        Path folder = CompiledPrelude.folder(cache, "25.2.4", SOURCES);
        try (FunctionBytecode first = new FunctionBytecode(1 << 20)) {
            CompiledPrelude.save(folder, SOURCES, first);
        }

        assertThat(CompiledPrelude.folder(cache, "25.2.4", changed)).isNotEqualTo(folder);
        assertThat(CompiledPrelude.folder(cache, "25.2.5", SOURCES)).isNotEqualTo(folder);
        try (FunctionBytecode later = new FunctionBytecode(1 << 20)) {
            assertThat(CompiledPrelude.load(CompiledPrelude.folder(cache, "25.2.4", changed), changed, later))
                    .isFalse();
        }
    }

    @Test
    void aHalfWrittenFolderIsNotUsed() throws Exception {
        Path folder = CompiledPrelude.folder(cache, "25.2.4", SOURCES);
        Files.createDirectories(folder.resolve("cococloud"));
        Files.write(folder.resolve("cococloud/greet.py.bytecode"), new byte[] {1, 2, 3}); // no completion mark

        try (FunctionBytecode later = new FunctionBytecode(1 << 20)) {
            assertThat(CompiledPrelude.load(folder, SOURCES, later)).isFalse();
        }
    }

    @Test
    void anEngineStartedAfterAnotherMakesItsFirstContextWithoutCompilingTheRuntimePackage() {
        try (PythonEngine first = new PythonEngine(0)) {
            first.newContext(new OutputCapture(4096, false), new OutputCapture(4096, false), null,
                    first.newFileSystem()).close(true);
            first.keepPreludeBytecode();
        }

        try (PythonEngine later = new PythonEngine(0)) {
            later.newContext(new OutputCapture(4096, false), new OutputCapture(4096, false), null,
                    later.newFileSystem()).close(true);

            assertThat(later.compiledFiles()).isZero();
        }
    }
}
