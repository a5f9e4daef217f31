package io.cococloud.function;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where a deploy may resolve {@code requirements.txt} from ({@code coco.packages.*}); both empty (the
 * default) means nowhere: an unmet requirement is refused, as without this feature.
 *
 * @param indexUrl   a PEP 503 "simple" index (https://pypi.org/simple/, a devpi or Nexus mirror), or empty
 * @param wheelhouse a local folder of {@code *.whl} files, or empty; looked at before the index
 * @param timeout    the bound on one request to the index (a project's page, one wheel's download)
 * @param maxWheel   the largest wheel downloaded; what it unpacks to counts against the upload's limits too
 * @param cacheSize  downloaded wheels kept in memory by sha256, so that redeploys do not download again
 */
@ConfigurationProperties("coco.packages")
record PackageIndexProperties(
        @DefaultValue("") String indexUrl,
        @DefaultValue("") String wheelhouse,
        @DefaultValue("30s") Duration timeout,
        @DefaultValue("32MB") DataSize maxWheel,
        @DefaultValue("128MB") DataSize cacheSize) {
}
