package io.cococloud.function;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.cococloud.runtime.FunctionCode;

/**
 * A function with the files of its deployed version: what an execution needs, cached in memory.
 *
 * @param style     the style the version runs in, resolved at deploy
 * @param entryFile the file with the entry point ("index.py", "hello.py")
 * @param entryName the entry point's name in it (main, handle, handler, app, application)
 * @param files     every text file of the version by path (Python sources, vendored ones included), the entry file
 *                  included
 * @param tree      every file of the version as bytes, by path, when it has data files (else empty)
 * @param handler   the function's handler setting ("index.handler"), or null
 * @param layer     identifies the project's packages merged into files and tree ("" when none)
 * @param ownBytes  the size of the version's own files, what keeping it in memory costs (the layer's files are
 *                  shared by the project's functions and counted once, by {@link ProjectPackages})
 */
record DeployedFunction(UUID projectId, UUID id, String name, int version, String style, String entryFile,
        String entryName, Map<String, String> files, Map<String, byte[]> tree, String handler, int timeoutSeconds,
        boolean requireAuth, boolean enabled, String layer, long ownBytes) {

    DeployedFunction {
        files = Map.copyOf(files);
        tree = Map.copyOf(tree);
    }

    /** The entry file's source. */
    String code() {
        return files.get(entryFile);
    }

    FunctionCode functionCode() {
        return new FunctionCode(projectId, id, name, version, style, entryFile, entryName, files,
                Duration.ofSeconds(timeoutSeconds), tree, layer);
    }
}
