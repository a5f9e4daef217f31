package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cococloud.support.SecondNode;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * A schedule runs once per tick with two server instances on one PostgreSQL (issue 16 §1): node A is the tests'
 * shared server, node B a second Spring application in this JVM, as in TwoNodesTest. Both poll the same queue
 * every second, so with a one-second schedule both are there to take each tick.
 */
@IntegrationTest
class ScheduleTwoNodesTest {

    private static final int TICKS = 8;

    private static SecondNode nodeB;

    @LocalServerPort
    private int portA;

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeAll
    static void startNodeB() {
        nodeB = SecondNode.start(Map.of());
    }

    @AfterAll
    static void stopNodeB() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @Test
    void everyTickOfAOneSecondScheduleRunsOnceAcrossTwoNodes() {
        Functions onA = Functions.inNewProject(portA);
        String function = onA.deploy("def main():\n    return request.get('n')\n");
        String schedules = onA.functionsPath() + "/" + function + "/schedules";
        String id = onA.owner().post(schedules, Map.of("cron", "* * * * * *", "payload", Map.of("n", 1)))
                .expect(201).json().get("id").asString();

        await().atMost(Duration.ofMinutes(2)).until(() -> ticks(id).size() >= TICKS);
        long runs = onA.owner().patch(schedules + "/" + id, Map.of("enabled", false)).expect(200).json().get("runs")
                .asLong();

        List<Instant> ticks = ticks(id);
        assertThat(new HashSet<>(ticks)).as("ticks run").hasSameSizeAs(ticks);
        assertThat(ticks).allSatisfy(tick -> assertThat(tick).isEqualTo(tick.truncatedTo(ChronoUnit.SECONDS)));
        assertThat(runs).isEqualTo(ticks.size());
        // and every run ran, on whichever node took it
        await().atMost(Duration.ofMinutes(2)).until(() -> jdbc.queryForObject("SELECT count(*) FROM executions"
                + " WHERE project_id = ?::uuid AND schedule_id = ?::uuid AND status = 'success'", Integer.class,
                onA.projectId(), id) == ticks.size());
    }

    /** The tick of every run of the schedule, one entry per executions row. */
    private List<Instant> ticks(String scheduleId) {
        return jdbc.queryForList("SELECT scheduled_for FROM executions WHERE schedule_id = ?::uuid", Timestamp.class,
                scheduleId).stream().map(Timestamp::toInstant).toList();
    }
}
