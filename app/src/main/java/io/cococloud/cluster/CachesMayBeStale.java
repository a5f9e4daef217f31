package io.cococloud.cluster;

/**
 * Published on this node only, when it may have missed other nodes' {@link ClusterEvent}s (its listening connection
 * dropped, the database restarted): every cache drops everything it holds. Never sent to other nodes.
 */
public record CachesMayBeStale() {
}
