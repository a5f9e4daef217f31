package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions' bytecode is kept on disk between starts: a restarted server loads it without starting a compiler
 * engine, never hands a context a damaged file, and keeps the folder within its limit.
 */
class BytecodeStoreTest {

    static final String FILE = CodeTree.ROOT + "/main.py";
    static final byte[] SOURCE = "def main():\n    return {'message': 'hi'}\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path cache;

    @Test
    void aRestartedServerLoadsAFunctionsBytecodeFromDiskWithoutCompilingIt() {
        byte[] compiled;
        try (FunctionBytecode first = new FunctionBytecode(1 << 20, store())) {
            compiled = first.of(FILE, SOURCE);
            assertThat(first.compiles()).isEqualTo(1);
        }

        try (FunctionBytecode restarted = new FunctionBytecode(1 << 20, store())) {
            assertThat(restarted.of(FILE, SOURCE)).isNotNull().isEqualTo(compiled);
            assertThat(restarted.compiles()).isZero();
        }
    }

    @Test
    void theSameSourceUnderAnotherFileNameIsCompiledForThatName() {
        try (FunctionBytecode first = new FunctionBytecode(1 << 20, store())) {
            first.of(FILE, SOURCE);
        }

        try (FunctionBytecode restarted = new FunctionBytecode(1 << 20, store())) {
            restarted.of(CodeTree.ROOT + "/other.py", SOURCE);
            assertThat(restarted.compiles()).isEqualTo(1);
        }
    }

    @Test
    void aDamagedFileIsCompiledAgainAndReplaced() throws Exception {
        byte[] compiled;
        try (FunctionBytecode first = new FunctionBytecode(1 << 20, store())) {
            compiled = first.of(FILE, SOURCE);
        }
        Path kept = onlyFile();
        byte[] damaged = Files.readAllBytes(kept);
        damaged[damaged.length - 1] ^= 1;
        Files.write(kept, damaged);

        try (FunctionBytecode restarted = new FunctionBytecode(1 << 20, store())) {
            assertThat(restarted.of(FILE, SOURCE)).isEqualTo(compiled);
            assertThat(restarted.compiles()).isEqualTo(1);
        }
        try (FunctionBytecode again = new FunctionBytecode(1 << 20, store())) {
            assertThat(again.of(FILE, SOURCE)).isEqualTo(compiled);
            assertThat(again.compiles()).isZero();
        }
    }

    @Test
    void aFileCutShortIsCompiledAgain() throws Exception {
        try (FunctionBytecode first = new FunctionBytecode(1 << 20, store())) {
            first.of(FILE, SOURCE);
        }
        Path kept = onlyFile();
        Files.write(kept, new byte[] {1, 2, 3});

        try (FunctionBytecode restarted = new FunctionBytecode(1 << 20, store())) {
            assertThat(restarted.of(FILE, SOURCE)).isNotNull();
            assertThat(restarted.compiles()).isEqualTo(1);
        }
    }

    @Test
    void aSourceThatDoesNotCompileIsNotKept() throws Exception {
        try (FunctionBytecode first = new FunctionBytecode(1 << 20, store())) {
            assertThat(first.of(FILE, "def main(:\n".getBytes(StandardCharsets.UTF_8))).isNull();
        }

        assertThat(files()).isEmpty();
    }

    @Test
    void theRuntimesOwnPackageIsNotKeptHere() throws Exception {
        try (FunctionBytecode first = new FunctionBytecode(1 << 20, store())) {
            assertThat(first.of("<cococloud>/cococloud/greet.py", SOURCE)).isNotNull();
        }

        assertThat(files()).isEmpty();
    }

    @Test
    void pruningKeepsTheMostRecentlyUsedFilesWithinTheLimit() throws Exception {
        BytecodeStore store = new BytecodeStore(folder(), 1 << 20);
        for (int i = 0; i < 4; i++) {
            store.write(CodeTree.ROOT + "/f" + i + ".py", "sha-" + i, new byte[200 << 10]);
            Files.setLastModifiedTime(newestWritten(), FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        store.read(CodeTree.ROOT + "/f0.py", "sha-0"); // used just now: the most recent

        new BytecodeStore(folder(), 500 << 10).prune();

        assertThat(store.read(CodeTree.ROOT + "/f0.py", "sha-0")).isNotNull();
        assertThat(store.read(CodeTree.ROOT + "/f3.py", "sha-3")).isNotNull();
        assertThat(store.read(CodeTree.ROOT + "/f1.py", "sha-1")).isNull();
        assertThat(store.read(CodeTree.ROOT + "/f2.py", "sha-2")).isNull();
    }

    @Test
    void theFirstWriteOfAStorePrunesWhatAnEarlierServerLeftOverTheLimit() throws Exception {
        BytecodeStore larger = new BytecodeStore(folder(), 4 << 20);
        for (int i = 0; i < 8; i++) {
            larger.write(CodeTree.ROOT + "/f" + i + ".py", "sha-" + i, new byte[200 << 10]);
        }
        BytecodeStore store = new BytecodeStore(folder(), 1 << 20);
        assertThat(total()).isGreaterThan(1 << 20); // nothing pruned by making the store

        store.write(CodeTree.ROOT + "/small.py", "sha-small", new byte[1 << 10]);

        assertThat(total()).isLessThanOrEqualTo(1 << 20);
        assertThat(store.read(CodeTree.ROOT + "/small.py", "sha-small")).isNotNull();
    }

    @Test
    void aServerThatKeepsWritingStaysWithinTheLimit() throws Exception {
        BytecodeStore store = new BytecodeStore(folder(), 1 << 20);
        for (int i = 0; i < 12; i++) {
            store.write(CodeTree.ROOT + "/f" + i + ".py", "sha-" + i, new byte[200 << 10]);
        }

        assertThat(total()).isLessThanOrEqualTo(1 << 20);
    }

    private long total() throws Exception {
        long total = 0;
        for (Path file : files()) {
            total += Files.size(file);
        }
        return total;
    }

    @Test
    void anEngineStartedAfterAnotherCompilesNoFunctionItCompiled() {
        String source = "def main():\n    return '" + UUID.randomUUID() + "'\n";
        try (PythonEngine first = new PythonEngine(0)) {
            assertThat(first.precompile("main.py", source)).isTrue();
            assertThat(first.compiledFiles()).isEqualTo(1);
        }

        try (PythonEngine restarted = new PythonEngine(0)) {
            assertThat(restarted.precompile("main.py", source)).isTrue();
            assertThat(restarted.compiledFiles()).isZero();
        }
    }

    private BytecodeStore store() {
        return new BytecodeStore(folder(), 1 << 20);
    }

    private Path folder() {
        return BytecodeStore.folder(cache, "25.2.4");
    }

    private List<Path> files() throws Exception {
        if (!Files.isDirectory(folder())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder())) {
            return files.toList();
        }
    }

    private Path onlyFile() throws Exception {
        List<Path> files = files();
        assertThat(files).hasSize(1);
        return files.getFirst();
    }

    private Path newestWritten() throws Exception {
        return files().stream().filter(file -> {
            try {
                return Files.getLastModifiedTime(file).toMillis() > 100_000_000L;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).findFirst().orElseThrow();
    }
}
