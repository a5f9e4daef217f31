package io.cococloud.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * One deployed version of a function (or of one route of a site): what the runtime needs to load and run it.
 *
 * @param functionId identifies the code's owner: a function, or a site's route
 * @param style      main | handle | wsgi | asgi | event | http_handler, resolved at deploy (docs/functions.md);
 *                   an app callable checked as "wsgi" is run as ASGI when it turns out to be an ASGI app
 * @param entryFile  the file holding the entry point, a path in {@code files} ("index.py", "api/hello.py")
 * @param entryName  the entry point's name in that file: main, handle, handler, app, application
 * @param files      every source file of the version by its path from the code root; helper modules and
 *                   packages beside the entry file import as in any Python project
 * @param tree       every file of the version as bytes, by the same paths (sources, vendored packages, templates,
 *                   static and data files): what the function's read-only file system shows at its code root;
 *                   empty when the version has no file beyond its sources
 * @param layer      identifies the project's packages merged into the files ("" when none): the same version with
 *                   another layer is other code, which a context that loaded the old one must load anew
 */
public record FunctionCode(UUID projectId, UUID functionId, String name, int version, String style,
        String entryFile, String entryName, Map<String, String> files, Duration timeout, Map<String, byte[]> tree,
        String layer) {

    public FunctionCode {
        files = Map.copyOf(files);
        tree = Map.copyOf(tree);
        layer = layer == null ? "" : layer;
        if (!files.containsKey(entryFile)) {
            throw new IllegalArgumentException("the entry file " + entryFile + " is not among the files");
        }
    }

    /** A version without packages of its project's layer. */
    public FunctionCode(UUID projectId, UUID functionId, String name, int version, String style, String entryFile,
            String entryName, Map<String, String> files, Duration timeout, Map<String, byte[]> tree) {
        this(projectId, functionId, name, version, style, entryFile, entryName, files, timeout, tree, "");
    }

    /** A version whose files are all Python sources (no vendored packages or data files). */
    public FunctionCode(UUID projectId, UUID functionId, String name, int version, String style, String entryFile,
            String entryName, Map<String, String> files, Duration timeout) {
        this(projectId, functionId, name, version, style, entryFile, entryName, files, timeout, Map.of());
    }

    /** A one-file main() function (the code is its entry file, {@code <name>.py}). */
    public static FunctionCode mainFunction(UUID projectId, UUID functionId, String name, int version, String code,
            Duration timeout) {
        return new FunctionCode(projectId, functionId, name, version, "main", name + ".py", "main",
                Map.of(name + ".py", code), timeout);
    }

    /** The entry file's source. */
    public String code() {
        return files.get(entryFile);
    }

    /**
     * Identifies this code inside a context: a new version (or another route of a site) is a new module, and so is
     * the same version with another package layer (a call that read the old one may load it after the change).
     */
    String key() {
        return functionId + ":" + version + ":" + entryFile + (layer.isEmpty() ? "" : ":" + layer);
    }
}
