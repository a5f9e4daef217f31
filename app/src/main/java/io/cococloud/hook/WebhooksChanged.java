package io.cococloud.hook;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** A project's collection webhooks changed: every node reads them again. */
record WebhooksChanged(UUID projectId) implements ClusterEvent {
}
