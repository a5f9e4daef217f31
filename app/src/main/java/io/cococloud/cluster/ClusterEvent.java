package io.cococloud.cluster;

/**
 * An application event that every node must see, not only the one that published it: a record of ids (no rows,
 * no secrets) that says what changed, so that each node drops what it cached of it. Published with Spring's
 * {@code ApplicationEventPublisher} as any event; {@link ClusterNotifier} also sends it to the other nodes through
 * PostgreSQL (at commit when published inside a transaction) and republishes what they send, so the same
 * {@code @EventListener}s run everywhere. Only records of the application's own packages that implement this
 * interface are ever read back from a notification.
 */
public interface ClusterEvent {
}
