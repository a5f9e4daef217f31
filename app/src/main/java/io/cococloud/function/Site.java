package io.cococloud.function;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cococloud.runtime.FunctionCode;

/**
 * A project's deployed site version, in memory: its route table, the code each route runs (the version's whole
 * cloud-functions/ tree, so helper modules import) and its static files' metadata. What a request to the site
 * needs, without reading a table (a static file's content excepted, read when a body is sent).
 */
record Site(UUID projectId, int version, Instant deployedAt, SiteRoutes routes, Map<String, FunctionCode> code,
        Map<String, StaticFile> statics) {

    /** Route files run with the default timeout of a function (docs/functions.md#limits). */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A static file of the frontend: how it is served, without its bytes. */
    record StaticFile(String path, String contentType, String sha256Hex, long size) {}

    /**
     * @param files the cloud-functions/ tree's text files (the project's package layer merged in)
     * @param tree  every file the routes see as bytes, or empty when the sources are all they have
     * @param layer identifies the project's packages merged in ("" when none)
     */
    static Site of(UUID projectId, int version, Instant deployedAt, List<SiteRoute> routes, Map<String, String> files,
            Map<String, byte[]> tree, String layer, List<SiteRepository.StaticRow> statics) {
        Map<String, String> sources = Map.copyOf(files);
        Map<String, byte[]> bytes = Map.copyOf(tree);
        Map<String, FunctionCode> code = new java.util.HashMap<>();
        for (SiteRoute route : routes) {
            code.put(route.file(), new FunctionCode(projectId, SiteRoute.idOf(projectId, route.file()),
                    route.file().substring(0, route.file().length() - ".py".length()), version, route.style(),
                    route.file(), route.entryName(), sources, TIMEOUT, bytes, layer));
        }
        Map<String, StaticFile> byPath = new java.util.HashMap<>();
        for (SiteRepository.StaticRow row : statics) {
            byPath.put(row.path(), new StaticFile(row.path(), row.contentType(), HexFormat.of().formatHex(row.sha256()),
                    row.size()));
        }
        return new Site(projectId, version, deployedAt, new SiteRoutes(routes), Map.copyOf(code), Map.copyOf(byPath));
    }

    /**
     * The static file a path names: the file itself, or a folder's {@code index.html} ("" is the root's).
     */
    StaticFile staticFile(String path) {
        StaticFile file = path.isEmpty() ? null : statics.get(path);
        if (file != null) {
            return file;
        }
        return statics.get(path.isEmpty() ? "index.html" : path + "/index.html");
    }
}
