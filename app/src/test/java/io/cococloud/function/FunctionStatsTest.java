package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * Each function in the list and in its own view carries {@code stats}: calls and errors (error or timeout) of the
 * last 24 hours, any trigger, and the newest execution's status and time; computed by one indexed statement.
 */
@IntegrationTest
class FunctionStatsTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Functions functions;
    AdminApi owner;
    UUID project;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        owner = functions.owner();
        project = UUID.fromString(functions.projectId());
    }

    @Test
    void theListCountsEachFunctionsCallsAndErrorsOfTheLastDayAndItsLastStatus() {
        String ok = functions.deploy("def main():\n    return 'ok'\n", Map.of("name", "ok"));
        String failing = functions.deploy("def main():\n    raise ValueError('no')\n", Map.of("name", "failing"));
        functions.deploy("def main():\n    return 1\n", Map.of("name", "idle"));
        functions.get(ok, "").expect(200);
        functions.get(ok, "").expect(200);
        functions.get(failing, "").expect(500);
        owner.post(functions.functionsPath() + "/" + failing + "/test", Map.of()).expect(200);
        // a timeout an hour ago counts as an error; a failure of two days ago is no longer in the last 24 hours
        record(failing, "timeout", Instant.now().minus(1, ChronoUnit.HOURS));
        record(ok, "error", Instant.now().minus(2, ChronoUnit.DAYS));

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, JsonNode> stats = statsByName(owner.get(functions.functionsPath()).expect(200).json());
            assertThat(stats.get("ok").get("calls_24h").asLong()).isEqualTo(2);
            assertThat(stats.get("failing").get("calls_24h").asLong()).isEqualTo(3);
        });
        Map<String, JsonNode> stats = statsByName(owner.get(functions.functionsPath()).expect(200).json());
        assertThat(stats.get("ok").get("errors_24h").asLong()).isZero();
        assertThat(stats.get("ok").get("last_status").asString()).isEqualTo("success");
        assertThat(stats.get("failing").get("errors_24h").asLong()).isEqualTo(3);
        assertThat(stats.get("failing").get("last_status").asString()).isEqualTo("error");
        assertThat(Instant.parse(stats.get("failing").get("last_execution_at").asString()))
                .isAfter(Instant.now().minus(1, ChronoUnit.MINUTES));
        assertThat(stats.get("idle").get("calls_24h").asLong()).isZero();
        assertThat(stats.get("idle").get("errors_24h").asLong()).isZero();
        assertThat(stats.get("idle").get("last_status").isNull()).isTrue();
        assertThat(stats.get("idle").get("last_execution_at").isNull()).isTrue();
    }

    @Test
    void theSingleViewCarriesTheSameStats() {
        String id = functions.deploy("def main():\n    raise ValueError('no')\n", Map.of("name", "single"));
        record(id, "success", Instant.now().minus(3, ChronoUnit.HOURS));
        record(id, "timeout", Instant.now().minus(2, ChronoUnit.HOURS));

        JsonNode stats = owner.get(functions.functionsPath() + "/single").expect(200).json().get("stats");

        assertThat(stats.get("calls_24h").asLong()).isEqualTo(2);
        assertThat(stats.get("errors_24h").asLong()).isEqualTo(1);
        assertThat(stats.get("last_status").asString()).isEqualTo("timeout");
    }

    @Test
    void aFunctionsLastStatusIsItsNewestExecutionEvenBeyondTheLastDay() {
        String id = functions.deploy("def main():\n    return 1\n", Map.of("name", "quiet"));
        Instant twoDaysAgo = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        record(id, "error", twoDaysAgo);

        JsonNode stats = owner.get(functions.functionsPath() + "/" + id).expect(200).json().get("stats");

        assertThat(stats.get("calls_24h").asLong()).isZero();
        assertThat(stats.get("last_status").asString()).isEqualTo("error");
        assertThat(Instant.parse(stats.get("last_execution_at").asString())).isEqualTo(twoDaysAgo);
    }

    @Test
    void theStatsStatementReadsTheExecutionsIndexNotTheTable() {
        // a project with thousands of rows, so the planner's choice is the one a real project gets
        String id = functions.deploy("def main():\n    return 1\n");
        jdbc.update("""
                INSERT INTO executions (project_id, id, function_id, version, trigger, status, duration_ms, created_at)
                SELECT ?, gen_random_uuid(), CASE WHEN i % 50 = 0 THEN ? ELSE gen_random_uuid() END, 1, 'http',
                       'success', 1, now() - i * interval '1 minute'
                FROM generate_series(1, 20000) i""", project, UUID.fromString(id));
        jdbc.execute("ANALYZE executions");

        List<String> plan = jdbc.queryForList("EXPLAIN " + FunctionStats.SQL.replace("?", "'" + project + "'"),
                String.class);

        assertThat(String.join("\n", plan)).contains("executions_by_function").doesNotContain("Seq Scan on executions");
    }

    @Test
    void anotherProjectsCallsNeverCountAndItsFunctionsNeverShow() {
        String mine = functions.deploy("def main():\n    return 'mine'\n", Map.of("name", "mine"));
        Functions other = Functions.inNewProject(port);
        String theirs = other.deploy("def main():\n    return 'theirs'\n", Map.of("name", "theirs"));
        other.get(theirs, "").expect(200);
        // a row of the other project that names my function: the project, not the id, decides
        jdbc.update("""
                INSERT INTO executions (project_id, id, function_id, version, trigger, status, duration_ms, created_at)
                VALUES (?, ?, ?, 1, 'http', 'error', 5, now())""", UUID.fromString(other.projectId()),
                UUID.randomUUID(), UUID.fromString(mine));

        Map<String, JsonNode> stats = statsByName(owner.get(functions.functionsPath()).expect(200).json());

        assertThat(stats).containsOnlyKeys("mine");
        assertThat(stats.get("mine").get("calls_24h").asLong()).isZero();
        assertThat(stats.get("mine").get("last_status").isNull()).isTrue();
        owner.get(other.functionsPath()).expect(404);
    }

    private void record(String functionId, String status, Instant at) {
        jdbc.update("""
                INSERT INTO executions (project_id, id, function_id, version, trigger, status, duration_ms, created_at)
                VALUES (?, ?, ?, 1, 'http', ?, 5, ?)""", project, UUID.randomUUID(), UUID.fromString(functionId),
                status, Timestamp.from(at));
    }

    private static Map<String, JsonNode> statsByName(JsonNode list) {
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        list.forEach(f -> byName.put(f.get("name").asString(), f.get("stats")));
        return byName;
    }
}
