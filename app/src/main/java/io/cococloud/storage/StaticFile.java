package io.cococloud.storage;

import java.time.Instant;

/**
 * A stored static file as the admin API lists it.
 *
 * @param sha256 hex digest of the content; the served ETag is this in quotes
 * @param url    the public URL, the one {@code static(path)} renders in templates
 */
public record StaticFile(String path, String contentType, long size, String sha256, String url, Instant createdAt,
        Instant updatedAt) {
}
