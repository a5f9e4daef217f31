package io.cococloud.data;

import java.util.Optional;
import java.util.UUID;

/**
 * A collection's webhook (CocoBase's {@code webhook_url}), kept and delivered by the hook module; data only asks
 * it, from the client API's {@code PATCH /collections/{c}}, so data depends on no hook code.
 */
public interface CollectionWebhooks {

    /**
     * @param secret the HMAC-SHA256 key the deliveries are signed with; present only in the answer that made it
     */
    record Webhook(String url, Optional<String> secret) {}

    /**
     * Points the collection's webhook at {@code url} (null: removes it); a new webhook gets a new secret. Throws
     * a {@link io.cococloud.error.DomainException} for a URL it refuses (not http(s), an internal address).
     */
    Optional<Webhook> set(UUID projectId, String collection, String url);
}
