/**
 * Realtime (docs/realtime.md): CocoBase's WebSocket protocol. {@code /realtime/collections/{name}} streams a
 * collection's changes that the caller may read and its filter matches; {@code /realtime/broadcast} relays messages
 * between a project's clients; {@code /realtime/rooms/{id}} does the same within a room, and {@code GET
 * /realtime/rooms} lists the live rooms. Every node delivers to its own sockets what any node publishes: an event row
 * in PostgreSQL, its id sent with the cluster's notifications ({@link io.cococloud.cluster.ClusterEvent}).
 */
package io.cococloud.realtime;
