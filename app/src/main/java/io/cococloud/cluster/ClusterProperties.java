package io.cococloud.cluster;

import java.time.Duration;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code coco.cluster.*}: the channel the nodes share, this node's id (random per start unless set), and how long a
 * cached entry may live at most, so that a missed notification cannot leave a node stale for longer.
 */
@ConfigurationProperties("coco.cluster")
public record ClusterProperties(String channel, String nodeId, Duration maxStaleness, Duration reconnectDelay) {

    public ClusterProperties {
        channel = channel == null || channel.isBlank() ? "coco_cluster" : channel;
        nodeId = nodeId == null || nodeId.isBlank() ? UUID.randomUUID().toString() : nodeId;
        maxStaleness = maxStaleness == null ? Duration.ofMinutes(5) : maxStaleness;
        reconnectDelay = reconnectDelay == null ? Duration.ofSeconds(1) : reconnectDelay;
        if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("coco.cluster.channel must be a lower-case SQL identifier: " + channel);
        }
    }
}
