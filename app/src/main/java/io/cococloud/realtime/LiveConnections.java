package io.cococloud.realtime;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.cluster.CoherentCache;
import io.cococloud.project.ProjectDeleted;
import jakarta.annotation.PreDestroy;

/**
 * This node's open sockets, and what all nodes' sockets listen to. Each subscribed socket has a row in
 * {@code realtime_connections} whose lease this node renews; from those rows every node knows which collections are
 * watched anywhere (kept in memory per project and dropped on {@link RealtimeWatchesChanged}), so that a write on a
 * collection nobody watches records nothing.
 */
@Component
class LiveConnections {

    /** A row whose node stopped renewing it is dead after this long. */
    static final int LEASE_SECONDS = 90;
    private static final Logger log = LoggerFactory.getLogger(LiveConnections.class);

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final ClusterProperties cluster;
    private final RealtimeProperties settings;
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, LiveConnection> bySession = new ConcurrentHashMap<>();
    private final Map<Key, Set<LiveConnection>> byTopic = new ConcurrentHashMap<>();
    private final CoherentCache<UUID, Set<String>> watched;

    private record Key(UUID projectId, String topic) {}

    LiveConnections(JdbcClient jdbc, ApplicationEventPublisher events, ClusterProperties cluster,
            RealtimeProperties settings) {
        this.jdbc = jdbc;
        this.events = events;
        this.cluster = cluster;
        this.settings = settings;
        this.watched = new CoherentCache<>(cluster, 100_000);
    }

    LiveConnection opened(WebSocketSession session) {
        LiveConnection connection = new LiveConnection(session, writers, settings.sendQueue());
        bySession.put(session.getId(), connection);
        return connection;
    }

    LiveConnection of(WebSocketSession session) {
        return bySession.get(session.getId());
    }

    /**
     * Makes the socket a subscriber: within the project's bound of live sockets (all nodes), its row written, and,
     * for a collection, every node told that it is watched before this returns (so a write committed after the
     * {@code connected} answer is seen by the node that makes it, once that node has read the notification).
     */
    void subscribe(LiveConnection connection, Subscription subscription) {
        long live = jdbc.sql("SELECT count(*) FROM realtime_connections WHERE project_id = ? AND expires_at > now()")
                .param(subscription.projectId()).query(Long.class).single();
        if (live >= settings.maxConnectionsPerProject()) {
            throw new ChannelRefusal(ChannelRefusal.TOO_MANY, "Too many realtime connections: this project may have "
                    + settings.maxConnectionsPerProject() + " at once");
        }
        writeRow(connection, subscription);
        connection.subscribed(subscription);
        byTopic.compute(new Key(subscription.projectId(), subscription.topic()), (key, same) -> {
            Set<LiveConnection> all = same == null ? ConcurrentHashMap.newKeySet() : same;
            all.add(connection);
            return all;
        });
        if (subscription.kind() == Subscription.Kind.COLLECTION) {
            events.publishEvent(new RealtimeWatchesChanged(subscription.projectId()));
        }
    }

    /** A subscribed socket's row, with a fresh lease (written again if it is there). */
    private void writeRow(LiveConnection connection, Subscription subscription) {
        jdbc.sql("""
                INSERT INTO realtime_connections (id, node_id, project_id, kind, topic, user_id, user_name, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?))
                ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at""")
                .params(connection.id, cluster.nodeId(), subscription.projectId(), subscription.kind().word(),
                        subscription.name(), subscription.userId(), subscription.userName(), LEASE_SECONDS)
                .update();
    }

    /** The socket closed: it is forgotten, and its row deleted. */
    void closed(WebSocketSession session) {
        LiveConnection connection = bySession.remove(session.getId());
        if (connection == null || connection.subscription() == null) {
            return;
        }
        Subscription subscription = connection.subscription();
        Key key = new Key(subscription.projectId(), subscription.topic());
        byTopic.computeIfPresent(key, (k, same) -> {
            same.remove(connection);
            return same.isEmpty() ? null : same;
        });
        boolean last = !byTopic.containsKey(key);
        try {
            jdbc.sql("DELETE FROM realtime_connections WHERE id = ?").param(connection.id).update();
        } catch (RuntimeException e) {
            log.warn("Realtime: could not delete the row of a closed socket ({}); its lease ends it", e.toString());
            return;
        }
        if (last && subscription.kind() == Subscription.Kind.COLLECTION) {
            events.publishEvent(new RealtimeWatchesChanged(subscription.projectId()));
        }
    }

    /** This node's subscribers of a topic. */
    Set<LiveConnection> subscribers(UUID projectId, String topic) {
        return byTopic.getOrDefault(new Key(projectId, topic), Set.of());
    }

    /** Whether a socket of any node watches the collection; answered from memory after the project's first read. */
    boolean watched(UUID projectId, String collection) {
        return watched.get(projectId, project -> Set.copyOf(jdbc.sql("SELECT DISTINCT topic FROM realtime_connections"
                + " WHERE project_id = ? AND kind = 'collection' AND expires_at > now()").param(project)
                .query(String.class).list())).contains(collection);
    }

    @EventListener
    void watchesChanged(RealtimeWatchesChanged event) {
        watched.evict(event.projectId());
    }

    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        watched.evictAll();
    }

    /** A deleted project's sockets are closed; its rows went with it. */
    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        watched.evict(event.projectId());
        bySession.values().stream().filter(c -> c.subscription() != null
                && c.subscription().projectId().equals(event.projectId()))
                .forEach(c -> c.close(new CloseStatus(ChannelRefusal.NOT_FOUND, "the project was deleted")));
    }

    /**
     * Renews this node's leases and drops what dead nodes left: their rows once expired (so a dead node's watches
     * stop costing writes and its room members stop counting), and rooms nobody is in any more.
     */
    @Scheduled(fixedDelay = 30, initialDelay = 30, timeUnit = TimeUnit.SECONDS)
    void renewLeases() {
        List<LiveConnection> subscribed = bySession.values().stream().filter(c -> c.subscription() != null).toList();
        // only the rows of sockets open now: a row written again for a socket that was closing meanwhile expires
        int renewed = jdbc.sql("UPDATE realtime_connections SET expires_at = now() + make_interval(secs => ?)"
                + " WHERE id = ANY (?)").params(LEASE_SECONDS, subscribed.stream().map(c -> c.id)
                        .toArray(UUID[]::new)).update();
        if (renewed < subscribed.size()) {
            restore(subscribed);
        }
        int dead = jdbc.sql("DELETE FROM realtime_connections WHERE expires_at < now()").update();
        jdbc.sql("""
                DELETE FROM realtime_rooms r WHERE r.created_at < now() - interval '1 minute' AND NOT EXISTS (
                    SELECT 1 FROM realtime_connections c
                    WHERE c.project_id = r.project_id AND c.kind = 'room' AND c.topic = r.id)""").update();
        if (dead > 0) {
            watched.evictAll();
        }
    }

    /**
     * Rows of live sockets that are gone (this node could not renew them in time, say while its database connection
     * was down, and another node swept them): written again, and every node told, so that their watches count again.
     */
    private void restore(List<LiveConnection> subscribed) {
        log.warn("Realtime: some of this node's connection rows had expired; writing them again");
        for (LiveConnection connection : subscribed) {
            try {
                writeRow(connection, connection.subscription());
            } catch (RuntimeException e) {
                log.warn("Realtime: the row of socket {} could not be written again ({})", connection.id, e.toString());
            }
        }
        subscribed.stream().map(c -> c.subscription().projectId()).distinct()
                .forEach(project -> events.publishEvent(new RealtimeWatchesChanged(project)));
    }

    /** Going away (1001) for every socket, and this node's rows deleted, so that no lease has to run out. */
    @PreDestroy
    void stop() {
        bySession.values().forEach(c -> c.close(CloseStatus.GOING_AWAY));
        try {
            jdbc.sql("DELETE FROM realtime_connections WHERE node_id = ?").param(cluster.nodeId()).update();
        } catch (RuntimeException e) {
            log.warn("Realtime: could not delete this node's connection rows at stop ({})", e.toString());
        }
        writers.shutdown();
    }

    int size() {
        return bySession.size();
    }
}
