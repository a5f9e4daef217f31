package io.cococloud.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import io.cococloud.project.ProjectLimitsChanged;
import io.cococloud.support.IntegrationTest;

/** The notifier on its own, against the real PostgreSQL: what it sends, what it accepts, how it recovers. */
@IntegrationTest
class ClusterNotifierTest {

    @Autowired
    private ClusterNotifier notifier;
    @Autowired
    private ClusterProperties settings;
    @Autowired
    private ConfigurableApplicationContext context;
    @Autowired
    private JdbcClient db;
    @Autowired
    private TransactionTemplate transactions;

    private final List<Object> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() {
        // a test before may have restarted the database (DatabaseOutageTest): what is sent while the node
        // reconnects is lost by design, so the notifications below go once it listens again
        await().atMost(60, SECONDS).until(notifier::listening);
        context.addApplicationListener(event -> {
            if (event instanceof PayloadApplicationEvent<?> payload) {
                heard.add(payload.getPayload());
            }
        });
    }

    @Test
    void anotherNodesEventIsPublishedHereAndAnUnknownTypeIsIgnored() {
        UUID project = UUID.randomUUID();
        notify(message("another-node", "java.lang.ProcessBuilder", "{\"command\": [\"true\"]}"));
        notify(message("another-node", "io.cococloud.cluster.CachesMayBeStale", "{}")); // not a ClusterEvent
        notify(message("another-node", ProjectLimitsChanged.class.getName(), "{\"projectId\": \"" + project + "\"}"));

        await().atMost(60, SECONDS).until(() -> heard.contains(new ProjectLimitsChanged(project)));
        // notifications arrive in order: the two before were read and dropped
        assertThat(heard).noneMatch(event -> event instanceof ProcessBuilder || event instanceof CachesMayBeStale);
    }

    @Test
    void thisNodesOwnNotificationIsNotPublishedAgain() {
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        notify(message(settings.nodeId(), ProjectLimitsChanged.class.getName(), "{\"projectId\": \"" + mine + "\"}"));
        notify(message("another-node", ProjectLimitsChanged.class.getName(), "{\"projectId\": \"" + theirs + "\"}"));

        await().atMost(60, SECONDS).until(() -> heard.contains(new ProjectLimitsChanged(theirs)));
        assertThat(heard).doesNotContain(new ProjectLimitsChanged(mine));
    }

    @Test
    void anEventPublishedInATransactionIsSentAtCommitAndNotOnRollback() {
        UUID committed = UUID.randomUUID();
        UUID rolledBack = UUID.randomUUID();
        String payloadCommitted = notifier.payload(new ProjectLimitsChanged(committed));
        assertThat(payloadCommitted).contains(settings.nodeId()).contains(committed.toString())
                .contains(ProjectLimitsChanged.class.getName());
        List<String> seen = new CopyOnWriteArrayList<>();
        // a second listening session sees what other nodes would
        Thread listener = Thread.ofVirtual().start(() -> {
            try (var connection = java.sql.DriverManager.getConnection(
                    context.getEnvironment().getProperty("spring.datasource.url"),
                    context.getEnvironment().getProperty("spring.datasource.username"),
                    context.getEnvironment().getProperty("spring.datasource.password"))) {
                connection.createStatement().execute("LISTEN " + settings.channel());
                var postgres = connection.unwrap(org.postgresql.PGConnection.class);
                while (!Thread.currentThread().isInterrupted()) {
                    var notifications = postgres.getNotifications(200);
                    if (notifications != null) {
                        for (var notification : notifications) {
                            seen.add(notification.getParameter());
                        }
                    }
                }
            } catch (java.sql.SQLException e) {
                seen.add("failed: " + e);
            }
        });
        try {
            await().atMost(5, SECONDS).until(() -> {
                notify(message("probe", "none", "{}"));
                return seen.stream().anyMatch(s -> s.contains("probe"));
            });
            transactions.executeWithoutResult(status -> {
                context.publishEvent(new ProjectLimitsChanged(rolledBack));
                status.setRollbackOnly();
            });
            transactions.executeWithoutResult(status -> context.publishEvent(new ProjectLimitsChanged(committed)));

            await().atMost(5, SECONDS).until(() -> seen.stream().anyMatch(s -> s.contains(committed.toString())));
            assertThat(seen).noneMatch(s -> s.contains(rolledBack.toString()));
        } finally {
            listener.interrupt();
        }
    }

    @Test
    void aBrokenListeningConnectionIsReopenedAndCachesAreDropped() {
        long before = heard.stream().filter(CachesMayBeStale.class::isInstance).count();
        await().atMost(10, SECONDS).until(() -> db.sql("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?""")
                .param(("coco-cluster-" + settings.nodeId()).substring(0, Math.min(63,
                        ("coco-cluster-" + settings.nodeId()).length())))
                .query(Long.class).single() == 1);

        await().atMost(10, SECONDS)
                .until(() -> heard.stream().filter(CachesMayBeStale.class::isInstance).count() > before);
        // and it listens again
        UUID project = UUID.randomUUID();
        await().atMost(10, SECONDS).until(() -> {
            notify(message("another-node", ProjectLimitsChanged.class.getName(),
                    "{\"projectId\": \"" + project + "\"}"));
            return heard.contains(new ProjectLimitsChanged(project));
        });
    }

    private static String message(String node, String type, String event) {
        return "{\"node\": \"" + node + "\", \"type\": \"" + type + "\", \"event\": " + event + "}";
    }

    private void notify(String payload) {
        db.sql("SELECT pg_notify(?, ?)").params(settings.channel(), payload).query((rs, row) -> 1).list();
    }
}
