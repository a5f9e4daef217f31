package io.cococloud.secret;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Secrets and variables ({@code coco.secrets.*}).
 *
 * @param masterKey          COCO_MASTER_KEY: base64 of 32 bytes; empty means the key generated once and
 *                           kept in {@code coco.data-dir}/master.key
 * @param previousKeys       COCO_MASTER_KEY_PREVIOUS: comma-separated keys being rotated away from; rows
 *                           under them are readable and are re-encrypted under the master key at startup
 * @param maxSecretBytes     largest secret value (UTF-8 bytes)
 * @param maxVariableBytes   largest variable value (UTF-8 bytes)
 * @param maxPerProject      secrets a project may have, and variables (counted apart)
 */
@ConfigurationProperties("coco.secrets")
record SecretProperties(
        String masterKey,
        String previousKeys,
        @DefaultValue("65536") int maxSecretBytes,
        @DefaultValue("32768") int maxVariableBytes,
        @DefaultValue("500") int maxPerProject) {
}
