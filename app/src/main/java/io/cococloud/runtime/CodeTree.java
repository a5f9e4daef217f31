package io.cococloud.runtime;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One version's files as its read-only file system shows them under {@link #ROOT}: the bytes of every file and the
 * folders they make, indexed once per version so that a lookup on the hot path is one hash probe.
 */
final class CodeTree {

    /** Where a function's files are: its modules' __file__ is /code/&lt;path&gt;, its working directory /code. */
    static final String ROOT = "/code";

    /** Absolute path of a file → its bytes. */
    private final Map<String, byte[]> files;
    /** Absolute path of a folder ("/", "/code", "/code/templates") → the names in it. */
    private final Map<String, SortedSet<String>> folders;

    private CodeTree(Map<String, byte[]> byRelativePath) {
        this.files = new HashMap<>(byRelativePath.size() * 2);
        this.folders = new HashMap<>();
        folders.computeIfAbsent("/", f -> new TreeSet<>()).add(ROOT.substring(1));
        folders.computeIfAbsent(ROOT, f -> new TreeSet<>());
        byRelativePath.forEach((path, bytes) -> {
            if (PythonRuntime.isBytecode(bytes)) {
                return; // deploys refuse it; one stored before they did must not reach GraalPy's shared code cache
            }
            String absolute = ROOT + "/" + path;
            files.put(absolute, bytes);
            // every folder on the way gets its child, up to /code
            String child = absolute;
            while (!child.equals(ROOT)) {
                int slash = child.lastIndexOf('/');
                String folder = child.substring(0, slash);
                if (!folders.computeIfAbsent(folder, f -> new TreeSet<>()).add(child.substring(slash + 1))) {
                    break; // the rest of the way is known already
                }
                child = folder;
            }
        });
    }

    /** The version's tree; a version without one shows its sources (UTF-8). */
    static CodeTree of(FunctionCode function) {
        if (!function.tree().isEmpty()) {
            return new CodeTree(function.tree());
        }
        Map<String, byte[]> sources = new HashMap<>();
        function.files().forEach((path, source) -> sources.put(path, source.getBytes(StandardCharsets.UTF_8)));
        return new CodeTree(sources);
    }

    /** No files: what a context shows before any version has been activated in it. */
    static CodeTree empty() {
        return new CodeTree(Map.of());
    }

    /** The bytes of the file at this absolute, normalized path, or null. */
    byte[] file(String path) {
        return files.get(path);
    }

    /** The names in the folder at this absolute, normalized path, or null when it is no folder. */
    SortedSet<String> folder(String path) {
        return folders.get(path);
    }
}
