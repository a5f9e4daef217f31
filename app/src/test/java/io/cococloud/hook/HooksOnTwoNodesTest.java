package io.cococloud.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cococloud.support.AdminApi;
import io.cococloud.support.SecondNode;
import io.cococloud.support.IntegrationTest;

/**
 * Hooks with two server instances on one PostgreSQL: node A is the tests' shared server, node B a second one in
 * this JVM. B caches a project's hooks (none) by serving a write; a hook subscribed through A must then fire for
 * B's writes long before B's cached entry would expire (5 minutes): only the cross-node eviction can do that.
 */
@IntegrationTest
class HooksOnTwoNodesTest {

    /** Far below the staleness bound, far above the notification's delay. */
    private static final Duration NOTIFIED = Duration.ofSeconds(15);

    private static SecondNode nodeB;
    private static int portB;

    @LocalServerPort
    int portA;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void startNodeB() {
        nodeB = SecondNode.start(Map.of("coco.cluster.max-staleness", "5m"));
        portB = nodeB.port();
    }

    @AfterAll
    static void stopNodeB() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    private AdminApi.Response createOnB(HookProject project, int n) {
        return AdminApi.anonymous(portB).send("POST", "/collections/documents?collection=posts",
                Map.of("data", Map.of("n", n)), Map.of("x-api-key", project.clientKey));
    }

    @Test
    void aHookSubscribedOnOneNodeFiresForWritesOnTheOther() {
        HookProject project = new HookProject(portA, jdbc);
        String recorder = project.functions.deploy(HookProject.RECORDER);
        createOnB(project, 0).expect(201); // B has read the project's hooks: none
        assertThat(project.hookExecutions(recorder)).isZero();

        project.hook(recorder, "posts", "after", List.of("documents.create"));

        AtomicInteger n = new AtomicInteger();
        await().atMost(NOTIFIED).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            createOnB(project, n.incrementAndGet()).expect(201);
            assertThat(project.hookExecutions(recorder)).isPositive();
        });
        assertThat(project.awaitLog(1).get(0).get("event_type").asString()).isEqualTo("documents.create");
    }
}
