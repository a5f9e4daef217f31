package io.cococloud.realtime;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code coco.realtime.*}: the bounds of the realtime endpoints (docs/realtime.md#limits).
 *
 * @param authTimeout              how long a new socket may wait before its first message (the credentials)
 * @param maxConnectionsPerProject live sockets of one project across all nodes
 * @param maxMessageBytes          the largest message a client may send (a larger one closes the socket, 1009)
 * @param sendQueue                messages waiting for one socket; a socket that falls further behind is closed
 *                                 (4500), so that one slow reader costs no one else memory or time
 * @param maxPendingPerProject     a project's events waiting for delivery on this node; past it the project's
 *                                 subscribers here are closed (4500) and reconnect, rather than delay others
 * @param maxRoomsPerProject       rooms of one project
 * @param messagesPerSecond        messages one socket may send to a broadcast or a room
 * @param eventsKeptFor            how long an event row stays readable for the nodes that deliver it
 */
@ConfigurationProperties("coco.realtime")
public record RealtimeProperties(Duration authTimeout, Integer maxConnectionsPerProject, Integer maxMessageBytes,
        Integer sendQueue, Integer maxPendingPerProject, Integer maxRoomsPerProject, Integer messagesPerSecond,
        Duration eventsKeptFor) {

    public RealtimeProperties {
        authTimeout = authTimeout == null ? Duration.ofSeconds(10) : authTimeout;
        maxConnectionsPerProject = maxConnectionsPerProject == null ? 1000 : maxConnectionsPerProject;
        maxMessageBytes = maxMessageBytes == null ? 64 * 1024 : maxMessageBytes;
        sendQueue = sendQueue == null ? 1000 : sendQueue;
        maxPendingPerProject = maxPendingPerProject == null ? 1000 : maxPendingPerProject;
        maxRoomsPerProject = maxRoomsPerProject == null ? 1000 : maxRoomsPerProject;
        messagesPerSecond = messagesPerSecond == null ? 20 : messagesPerSecond;
        eventsKeptFor = eventsKeptFor == null ? Duration.ofMinutes(5) : eventsKeptFor;
    }
}
