package io.cococloud.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.cococloud.support.IntegrationTest;

/**
 * The after-hook outbox's sweep (which recovers documents a dead node left waiting) looks at a bounded number of
 * each project's documents, so one project's backlog cannot leave another's stranded (docs/hooks.md#fairness). The
 * stranded events are inserted in a transaction that is rolled back: the server's own sweep never sees them.
 */
@IntegrationTest
class HookSweepFairnessTest {

    private static final int PER_PROJECT = 5;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    HookOutbox outbox;

    @Autowired
    PlatformTransactionManager transactionManager;

    /** An after-hook of a fresh project on collection posts, with {@code documents} stranded events, one each. */
    private HookProject withStrandedEvents(int documents) {
        HookProject project = new HookProject(port, jdbc);
        String hookId = project.afterHook(project.functions.deploy("def main():\n    return 'ok'\n"), "posts");
        jdbc.update("INSERT INTO hook_events (project_id, hook_id, document_key, event)"
                + " SELECT ?::uuid, ?::uuid, 'posts/' || g, '{}' FROM generate_series(1, ?) g",
                project.projectId, hookId, documents);
        return project;
    }

    @Test
    void anotherProjectsStrandedDocumentIsInTheSweepAfterAProjectStrandedHundreds() {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            status.setRollbackOnly();
            HookProject backlog = withStrandedEvents(300);
            HookProject quiet = withStrandedEvents(1);

            List<HookOutbox.Waiting> swept = outbox.stranded(PER_PROJECT, 100);

            assertThat(swept).filteredOn(w -> w.projectId().equals(UUID.fromString(quiet.projectId)))
                    .extracting(HookOutbox.Waiting::key).containsExactly("posts/1");
            assertThat(swept).filteredOn(w -> w.projectId().equals(UUID.fromString(backlog.projectId)))
                    .extracting(HookOutbox.Waiting::key)
                    .containsExactly("posts/1", "posts/2", "posts/3", "posts/4", "posts/5");
        });
    }
}
