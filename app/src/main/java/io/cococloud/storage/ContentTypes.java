package io.cococloud.storage;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;

/**
 * A static file's Content-Type, from its name's extension (Spring's table of media types, plus the few it lacks),
 * decided once at upload. Text is declared UTF-8, so browsers do not guess. The uploader's own claim of a type is
 * not trusted: it decides how browsers treat the file, and an upload must not be able to pick "text/html".
 */
public final class ContentTypes {

    static final String OCTET_STREAM = MediaType.APPLICATION_OCTET_STREAM_VALUE;

    private static final Map<String, String> MISSING = Map.of(
            "mjs", "text/javascript",
            "webmanifest", "application/manifest+json",
            "map", "application/json",
            "woff2", "font/woff2",
            "woff", "font/woff",
            "avif", "image/avif",
            "webp", "image/webp",
            "wasm", "application/wasm");
    private static final Set<String> TEXT_LIKE = Set.of("application/javascript", "application/json",
            "application/xml", "image/svg+xml", "application/manifest+json");

    private ContentTypes() {
    }

    /** The stored Content-Type of a path; application/octet-stream when the extension is unknown. */
    public static String of(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        MediaType type = MISSING.containsKey(extension) ? MediaType.parseMediaType(MISSING.get(extension))
                : MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM);
        String base = type.getType() + "/" + type.getSubtype();
        return isText(base) ? base + "; charset=utf-8" : base;
    }

    /**
     * Types a browser never renders as a page that could run script: raster images, audio, video, fonts,
     * stylesheets, scripts, JSON, plain text, PDF and opaque bytes (with nosniff, never sniffed into HTML).
     * Everything else (HTML, XHTML, SVG, XML, unknown types) is a possible document.
     */
    private static final Set<String> INERT = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "image/avif", "image/bmp", "image/x-icon", "image/vnd.microsoft.icon", "text/css", "text/javascript",
            "application/javascript", "application/json", "application/manifest+json", "text/plain",
            "application/pdf", OCTET_STREAM, "application/wasm");

    /** Whether a file of this type can be served on a host shared with the console without the CSP sandbox. */
    public static boolean inert(String contentType) {
        String base = base(contentType);
        return INERT.contains(base) || base.startsWith("audio/") || base.startsWith("video/")
                || base.startsWith("font/");
    }

    /** Whether a gzip copy is worth trying: text and text-like formats compress well, images and zips do not. */
    static boolean compressible(String contentType) {
        String base = base(contentType);
        return isText(base) || base.equals("application/wasm") || base.equals("font/ttf") || base.equals("font/otf");
    }

    private static boolean isText(String base) {
        return base.startsWith("text/") || TEXT_LIKE.contains(base) || base.endsWith("+json")
                || base.endsWith("+xml");
    }

    private static String base(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
