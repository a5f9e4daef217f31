package io.cococloud.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits and serving of a project's static files ({@code coco.static.*}).
 *
 * @param cacheControl       the Cache-Control of every served file; short by default, because a path keeps its
 *                           URL when its content is replaced (the ETag lets caches revalidate cheaply)
 * @param maxFileSize        largest single file, counted in real bytes (for a zip entry: inflated bytes)
 * @param maxProjectSize     all static files of a project together
 * @param maxProjectFiles    number of static files a project may hold
 * @param maxZipEntries      entries of one uploaded zip, folders included, checked before anything is inflated
 * @param maxZipInflated     bytes one zip may inflate to in all, whatever its entries replace
 * @param maxUploadFiles     files one client API document write may carry
 * @param gzipMinSize        compressible files from this size on get a stored gzip copy
 */
@ConfigurationProperties("coco.static")
public record StaticProperties(
        @DefaultValue("public, max-age=300") String cacheControl,
        @DefaultValue("10MB") DataSize maxFileSize,
        @DefaultValue("200MB") DataSize maxProjectSize,
        @DefaultValue("10000") int maxProjectFiles,
        @DefaultValue("1000") int maxZipEntries,
        @DefaultValue("200MB") DataSize maxZipInflated,
        @DefaultValue("20") int maxUploadFiles,
        @DefaultValue("1KB") DataSize gzipMinSize) {
}
