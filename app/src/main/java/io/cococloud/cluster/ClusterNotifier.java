package io.cococloud.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.zaxxer.hikari.HikariDataSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends every {@link ClusterEvent} published on this node to the other nodes with {@code pg_notify}, and republishes
 * theirs here. A notification sent inside the publisher's transaction is delivered by PostgreSQL only once that
 * transaction commits (so no node drops a cache entry and reloads the old row before the change is visible); outside
 * a transaction it goes at once.
 *
 * <p>Receiving uses one connection of its own, not one of the pool's (a LISTENing session must stay open), and one
 * daemon thread that waits on it. When that connection breaks, notifications sent meanwhile are lost: after
 * reconnecting, {@link CachesMayBeStale} makes every cache of this node drop everything. The caches' own bound
 * ({@code coco.cluster.max-staleness}) covers what no reconnection reveals.
 */
@Component
class ClusterNotifier implements SmartLifecycle {

    /** PostgreSQL refuses payloads of 8000 bytes or more; ours are ids, far below. */
    static final int MAX_PAYLOAD_BYTES = 7900;
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Logger log = LoggerFactory.getLogger(ClusterNotifier.class);

    private final ClusterProperties settings;
    private final ClusterEventTypes types;
    private final JdbcClient db;
    private final DataSource dataSource;
    /** Its own, not the API's (whose naming may change): the wire format between nodes is the records' own names. */
    private final JsonMapper json = JsonMapper.builder().build();
    private final ApplicationEventPublisher events;
    /** Set on the listening thread while it republishes another node's event, so that it is not sent back. */
    private final ThreadLocal<Boolean> republishing = ThreadLocal.withInitial(() -> false);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private final AtomicLong received = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Connection listening;
    /** Whether LISTEN is in effect now: what other nodes send from then on reaches this node. */
    private volatile boolean subscribed;
    /** Whether this node listened before: started again (e.g. a paused context resumed), it may have missed some. */
    private volatile boolean listenedBefore;

    ClusterNotifier(ClusterProperties settings, ClusterEventTypes types, JdbcClient db, DataSource dataSource,
            ApplicationEventPublisher events) {
        this.settings = settings;
        this.types = types;
        this.db = db;
        this.dataSource = dataSource;
        this.events = events;
    }

    /** This node's cluster event, on its way to the others. */
    @EventListener
    void published(ClusterEvent event) {
        if (republishing.get()) {
            return;
        }
        if (!types.knows(event.getClass())) {
            throw new IllegalStateException(event.getClass() + " is a ClusterEvent but not a record of the"
                    + " application's packages: other nodes could not read it");
        }
        String payload = payload(event);
        if (TransactionSynchronizationManager.isActualTransactionActive()
                && !TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            // queued by PostgreSQL with the transaction, delivered at its commit. (Published from an afterCommit
            // callback, the transaction is still "active" here but its connection is back in autocommit, or is
            // committed as it is reset: sent at once either way.) A failed send is not thrown: from an afterCommit
            // callback the change stands and must not be answered as failed; inside the transaction PostgreSQL has
            // marked it aborted, so its commit fails and nothing changed.
            sendCommitted(payload);
        } else if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    sendCommitted(payload);
                }
            });
        } else {
            sendCommitted(payload);
        }
    }

    /**
     * Sends the news of a change already committed: if the database cannot take it now, the change stands and the
     * other nodes see it within {@code max-staleness} (or when their own connection comes back); the caller, whose
     * change succeeded, is not failed for it.
     */
    private void sendCommitted(String payload) {
        try {
            send(payload);
        } catch (DataAccessException e) {
            log.warn("Cluster: could not notify the other nodes ({}); they see the change within {}", e.toString(),
                    settings.maxStaleness());
        }
    }

    String payload(ClusterEvent event) {
        ObjectNode message = json.createObjectNode();
        message.put("node", settings.nodeId());
        message.put("type", event.getClass().getName());
        message.set("event", json.valueToTree(event));
        String payload = json.writeValueAsString(message);
        if (payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new IllegalStateException("A cluster event must carry ids only; this one is too long: "
                    + event.getClass().getName());
        }
        return payload;
    }

    private void send(String payload) {
        db.sql("SELECT pg_notify(?, ?)").params(settings.channel(), payload).query((rs, row) -> 1).list();
    }

    /**
     * Another node's notification: its event republished here, unless it is this node's own, names a type that is
     * not a known cluster event, or does not read as one (logged and dropped: a cache bound still applies).
     */
    void received(String payload) {
        ClusterEvent event;
        try {
            JsonNode message = json.readTree(payload);
            if (settings.nodeId().equals(message.path("node").asString(null))) {
                return;
            }
            String typeName = message.path("type").asString(null);
            Class<? extends ClusterEvent> type = types.named(typeName).orElse(null);
            if (type == null) {
                log.warn("Ignored a cluster notification of unknown type {}", typeName);
                return;
            }
            event = json.treeToValue(message.path("event"), type);
        } catch (RuntimeException e) {
            log.warn("Ignored an unreadable cluster notification: {}", e.toString());
            return;
        }
        received.incrementAndGet();
        republishing.set(true);
        try {
            events.publishEvent(event);
        } catch (RuntimeException e) {
            log.error("A listener failed on the cluster event {}", event, e);
        } finally {
            republishing.set(false);
        }
    }

    /**
     * Whether this node is listening now (for tests and diagnostics): a notification sent while it reconnects, after
     * the database restarted say, is lost, which {@link CachesMayBeStale} covers.
     */
    boolean listening() {
        return subscribed;
    }

    /** Other nodes' events republished here since start (for tests and diagnostics). */
    long receivedCount() {
        return received.get();
    }

    @Override
    public void start() {
        running = true;
        Thread listener = new Thread(this::listen, "cluster-listener");
        listener.setDaemon(true);
        thread = listener;
        listener.start();
    }

    @Override
    public void stop() {
        running = false;
        lock.lock();
        try {
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
        closeQuietly(listening);
        Thread listener = thread;
        if (listener != null) {
            try {
                listener.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        boolean missed = listenedBefore;
        boolean announced = false;
        while (running) {
            try (Connection connection = connect()) {
                listening = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + settings.channel());
                }
                subscribed = true;
                listenedBefore = true;
                if (!announced) {
                    log.info("Cluster: node {} listens on PostgreSQL channel '{}' (cached entries live at most {})",
                            settings.nodeId(), settings.channel(), settings.maxStaleness());
                    announced = true;
                }
                if (missed) {
                    log.info("Cluster: listening again; caches dropped, as notifications may have been missed");
                    events.publishEvent(new CachesMayBeStale());
                    missed = false;
                }
                waitForNotifications(connection);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Cluster: the listening connection failed ({}); reconnecting", e.toString());
                }
            } finally {
                subscribed = false;
                listening = null;
            }
            missed = true;
            pause();
        }
    }

    private void waitForNotifications(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long lastCheck = System.nanoTime();
        while (running) {
            PGNotification[] notifications = postgres.getNotifications(500);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    received(notification.getParameter());
                }
            }
            if (System.nanoTime() - lastCheck > LIVENESS_CHECK_NANOS) {
                // a connection whose peer vanished without closing it would otherwise wait forever in silence
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                lastCheck = System.nanoTime();
            }
        }
    }

    private Connection connect() throws SQLException {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        Properties properties = new Properties();
        if (pool.getDataSourceProperties() != null) {
            properties.putAll(pool.getDataSourceProperties());
        }
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        properties.setProperty("ApplicationName", "coco-cluster-" + settings.nodeId());
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(pool.getJdbcUrl(), properties);
    }

    private void pause() {
        lock.lock();
        try {
            if (running) {
                stopped.await(settings.reconnectDelay().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                // closing a connection that already broke
            }
        }
    }
}
