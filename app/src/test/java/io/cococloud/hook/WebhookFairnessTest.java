package io.cococloud.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.cococloud.support.IntegrationTest;

/**
 * One project's flood of webhook deliveries (a receiver that is slow or fails) must not delay another project's
 * (docs/hooks.md#fairness). The claim is called directly, in a transaction that is rolled back: the rows it sees
 * were never committed, so the server's own poller can neither see nor take them, and nothing is left behind.
 */
@IntegrationTest
class WebhookFairnessTest {

    /** The documented default of coco.webhooks.project-concurrency. */
    private static final int PER_PROJECT = 4;
    /** What a claim took before it was fair, and still far fewer than one project's backlog. */
    private static final int ROUND = 20;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    WebhookDeliveries deliveries;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    MeterRegistry registry;

    /** {@code count} due deliveries of the project, the oldest due {@code dueSince} ago, a millisecond apart. */
    private void due(String projectId, int count, String dueSince) {
        jdbc.update("INSERT INTO webhook_deliveries (project_id, collection, url, body, next_attempt_at)"
                + " SELECT ?::uuid, 'orders', 'http://127.0.0.1:9/hook', '{}',"
                + " now() - ?::interval + g * interval '1 millisecond' FROM generate_series(1, ?) g",
                projectId, dueSince, count);
    }

    private void rolledBack(Runnable work) {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            status.setRollbackOnly();
            work.run();
        });
    }

    private static long of(List<WebhookDeliveries.Claimed> claimed, String projectId) {
        return claimed.stream().filter(c -> c.projectId().equals(UUID.fromString(projectId))).count();
    }

    @Test
    void anotherProjectsDeliveryIsInTheFirstClaimAfterAProjectQueuedHundredsBeforeIt() {
        String flooding = new HookProject(port, jdbc).projectId;
        String quiet = new HookProject(port, jdbc).projectId;

        rolledBack(() -> {
            due(flooding, 200, "1 hour");
            due(quiet, 1, "30 minutes");

            List<WebhookDeliveries.Claimed> claimed = deliveries.claim(Instant.now(), Map.of(), ROUND);

            assertThat(of(claimed, quiet)).isEqualTo(1);
            assertThat(of(claimed, flooding)).isEqualTo(PER_PROJECT);
        });
    }

    @Test
    void aProjectWithItsShareOfDeliveriesRunningOnThisNodeGetsNoMoreFromAClaim() {
        String flooding = new HookProject(port, jdbc).projectId;
        String quiet = new HookProject(port, jdbc).projectId;

        rolledBack(() -> {
            due(flooding, 200, "1 hour");
            due(quiet, 1, "30 minutes");

            List<WebhookDeliveries.Claimed> claimed = deliveries.claim(Instant.now(),
                    Map.of(UUID.fromString(flooding), PER_PROJECT), ROUND);

            assertThat(of(claimed, flooding)).isZero();
            assertThat(of(claimed, quiet)).isEqualTo(1);
        });
    }

    @Test
    void pastMaxPendingANewDeliveryIsNotStoredAndIsCountedWhileTheWriteItselfIsMade() {
        HookProject project = new HookProject(port, jdbc);
        project.server("POST", "/collections/", Map.of("name", "orders")).expect(201);
        project.server("PATCH", "/collections/orders", Map.of("webhook_url", "http://127.0.0.1:9/hook")).expect(200);
        // the documented default bound (coco.webhooks.max-pending), not due for a day: no poller takes them
        jdbc.update("INSERT INTO webhook_deliveries (project_id, collection, url, body, next_attempt_at)"
                + " SELECT ?::uuid, 'orders', 'http://127.0.0.1:9/hook', '{}', now() + interval '1 day'"
                + " FROM generate_series(1, 10000)", project.projectId);
        try {
            String id = project.create("orders", Map.of("total", 12));

            assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE project_id = ?::uuid",
                    Long.class, project.projectId)).isEqualTo(10_000);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM documents WHERE project_id = ?::uuid AND id = ?",
                    Long.class, project.projectId, id)).isEqualTo(1);
            Counter dropped = registry.find(WebhookDeliveries.DROPPED).tag("project", project.projectId).counter();
            assertThat(dropped).isNotNull();
            assertThat(dropped.count()).isEqualTo(1.0);
        } finally {
            jdbc.update("DELETE FROM webhook_deliveries WHERE project_id = ?::uuid", project.projectId);
        }
    }
}
