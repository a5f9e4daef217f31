package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** Scheduled functions (docs/schedules.md; issue 16 §1): cron ticks run the function with the payload as body. */
@IntegrationTest
class ScheduledFunctionTest {

    static final String ECHO = """
            def main():
                print('tick', request.get('n'))
                return {'n': request.get('n'), 'body': request.json(), 'method': request.method,
                        'schedule': request.headers.get('x-coco-schedule-id')}
            """;
    /** Fires once a year, on 1 January: never during a test unless a test moves its tick. */
    static final String YEARLY = "0 0 0 1 1 *";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Functions functions;
    String function;
    String schedules;

    @BeforeEach
    void aFunction() {
        functions = Functions.inNewProject(port);
        function = functions.deploy(ECHO);
        schedules = functions.functionsPath() + "/" + function + "/schedules";
    }

    @Test
    void aOneSecondScheduleRunsTheFunctionWithThePayloadAsItsBody() {
        JsonNode schedule = create(Map.of("cron", "* * * * * *", "payload", Map.of("n", 7)));
        String id = schedule.get("id").asString();
        assertThat(schedule.get("time_zone").asString()).isEqualTo("UTC");
        assertThat(schedule.get("missed_ticks").asString()).isEqualTo("run_once");
        assertThat(schedule.get("enabled").asBoolean()).isTrue();
        assertThat(schedule.get("payload").get("n").asInt()).isEqualTo(7);
        assertThat(schedule.get("next_run_at").isNull()).isFalse();

        JsonNode run = await().atMost(Duration.ofSeconds(60)).until(() -> firstFinishedRun(id), r -> r != null);
        // stop it before reading, so that the counts stand still
        functions.owner().patch(schedules + "/" + id, Map.of("enabled", false)).expect(200);

        assertThat(run.get("trigger").asString()).isEqualTo("schedule");
        assertThat(run.get("status").asString()).isEqualTo("success");
        assertThat(run.get("output").asString()).isEqualTo("tick 7\n");
        JsonNode answer = JSON.readTree(run.get("result").get("body").asString()).get("result");
        assertThat(answer.get("n").asInt()).isEqualTo(7);
        assertThat(answer.get("body")).isEqualTo(JSON.readTree("{\"n\": 7}"));
        assertThat(answer.get("method").asString()).isEqualTo("POST");
        assertThat(answer.get("schedule").asString()).isEqualTo(id);
        Instant tick = Instant.parse(run.get("scheduled_for").asString());
        assertThat(tick).isEqualTo(tick.truncatedTo(ChronoUnit.SECONDS));
        // the same run through the function's executions
        functions.owner().get(functions.functionsPath() + "/" + function + "/executions/" + run.get("id").asString())
                .expect(200);

        JsonNode after = functions.owner().get(schedules + "/" + id).expect(200).json();
        assertThat(after.get("runs").asLong()).isGreaterThanOrEqualTo(1)
                .isEqualTo(runs(id).size());
        assertThat(after.get("last_run_at").isNull()).isFalse();
        assertThat(after.get("next_run_at").isNull()).isTrue();
        assertThat(functions.owner().get(schedules).expect(200).json().get(0).get("id").asString()).isEqualTo(id);
    }

    @Test
    void aFailingRunIsCountedAsAFailureOfItsSchedule() {
        String failing = functions.deploy("def main():\n    raise ValueError('no')\n", Map.of("async_retries", 0));
        String path = functions.functionsPath() + "/" + failing + "/schedules";
        String id = functions.owner().post(path, Map.of("cron", "* * * * * *")).expect(201).json().get("id")
                .asString();

        await().atMost(Duration.ofSeconds(60)).until(() ->
                functions.owner().get(path + "/" + id).expect(200).json().get("failures").asLong() >= 1);
        JsonNode schedule = functions.owner().patch(path + "/" + id, Map.of("enabled", false)).expect(200).json();
        assertThat(schedule.get("runs").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode run = functions.owner().get(path + "/" + id + "/runs?status=error").expect(200).json().get(0);
        assertThat(run.get("error").asString()).isEqualTo("ValueError: no");
    }

    @Test
    void aTickMissedWhileNoServerRanRunsOnceWhenItsPolicyIsRunOnce() {
        String id = create(Map.of("cron", YEARLY, "payload", Map.of("n", 1))).get("id").asString();
        Instant missed = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

        moveTickTo(id, missed); // as if every server had been down when it was due

        List<JsonNode> runs = await().atMost(Duration.ofSeconds(60)).until(() -> runs(id), r -> !r.isEmpty());
        assertThat(runs).hasSize(1);
        assertThat(Instant.parse(runs.get(0).get("scheduled_for").asString())).isEqualTo(missed);
        await().atMost(Duration.ofSeconds(30)).until(() -> tickTime(id).isAfter(Instant.now()));
        assertThat(tickTime(id)).isEqualTo(nextFirstOfJanuary());
        JsonNode schedule = functions.owner().get(schedules + "/" + id).expect(200).json();
        assertThat(Instant.parse(schedule.get("next_run_at").asString())).isEqualTo(nextFirstOfJanuary());
        assertThat(schedule.get("runs").asLong()).isEqualTo(1);
        assertThat(runs(id)).hasSize(1);
    }

    @Test
    void aTickMissedWhileNoServerRanIsSkippedWhenItsPolicyIsSkip() {
        String id = create(Map.of("cron", YEARLY, "missed_ticks", "skip")).get("id").asString();

        moveTickTo(id, Instant.now().minus(Duration.ofHours(1)));

        // the tick has been handled once its task waits for the next 1 January again
        await().atMost(Duration.ofSeconds(60)).until(() -> tickTime(id).isAfter(Instant.now()));
        assertThat(tickTime(id)).isEqualTo(nextFirstOfJanuary());
        assertThat(runs(id)).isEmpty();
        JsonNode schedule = functions.owner().get(schedules + "/" + id).expect(200).json();
        assertThat(schedule.get("runs").asLong()).isZero();
        assertThat(schedule.get("last_run_at").isNull()).isTrue();
    }

    @Test
    void anInvalidCronExpressionIsA400NamingCron() {
        assertField(functions.owner().post(schedules, Map.of("cron", "every minute")), "cron");
        assertField(functions.owner().post(schedules, Map.of("cron", "* * * * *")), "cron"); // five fields
        assertField(functions.owner().post(schedules, Map.of("cron", "0 0 0 30 2 *")), "cron"); // 30 February
        assertField(functions.owner().post(schedules, Map.of("payload", Map.of())), "cron");
    }

    @Test
    void anUnknownTimeZoneIsA400NamingTimeZone() {
        assertField(functions.owner().post(schedules, Map.of("cron", "@hourly", "time_zone", "Mars/Olympus")),
                "time_zone");
        String id = create(Map.of("cron", "@hourly")).get("id").asString();
        assertField(functions.owner().patch(schedules + "/" + id, Map.of("time_zone", "UTC+99")), "time_zone");
    }

    @Test
    void aBadPayloadOrPolicyIsA400NamingIt() {
        assertField(functions.owner().post(schedules, Map.of("cron", "@hourly", "payload", List.of(1))), "payload");
        assertField(functions.owner().post(schedules, Map.of("cron", "@hourly", "payload",
                Map.of("big", "x".repeat(FunctionSchedules.MAX_PAYLOAD_BYTES)))), "payload");
        assertField(functions.owner().post(schedules, Map.of("cron", "@hourly", "missed_ticks", "sometimes")),
                "missed_ticks");
        assertThat(functions.owner().get(schedules).expect(200).json().size()).isZero();
    }

    @Test
    void aFunctionHasAtMostTwentySchedules() {
        for (int i = 0; i < 20; i++) {
            create(Map.of("cron", YEARLY));
        }

        AdminApi.Response refused = functions.owner().post(schedules, Map.of("cron", YEARLY)).expect(409);

        assertThat(refused.json().get("detail").asString()).isEqualTo("A function may have at most 20 schedules");
        assertThat(functions.owner().get(schedules).expect(200).json().size()).isEqualTo(20);
    }

    @Test
    void theNextRunIsComputedInTheSchedulesTimeZone() {
        JsonNode schedule = create(Map.of("cron", "0 0 9 * * *", "time_zone", "Asia/Tokyo"));

        Instant next = Instant.parse(schedule.get("next_run_at").asString());
        ZonedDateTime inTokyo = next.atZone(ZoneId.of("Asia/Tokyo"));
        assertThat(inTokyo.getHour()).isEqualTo(9);
        assertThat(next).isBetween(Instant.now(), Instant.now().plus(Duration.ofDays(1)));
        assertThat(tickTime(schedule.get("id").asString())).isEqualTo(next);
    }

    @Test
    void disablingAScheduleDropsItsTickAndEnablingOrChangingItQueuesTheNextOne() {
        String id = create(Map.of("cron", YEARLY)).get("id").asString();
        assertThat(tickTime(id)).isEqualTo(nextFirstOfJanuary());

        JsonNode off = functions.owner().patch(schedules + "/" + id, Map.of("enabled", false)).expect(200).json();
        assertThat(off.get("next_run_at").isNull()).isTrue();
        assertThat(tickCount(id)).isZero();

        JsonNode on = functions.owner().patch(schedules + "/" + id, Map.of("enabled", true, "cron", "0 0 12 * * *"))
                .expect(200).json();
        Instant next = Instant.parse(on.get("next_run_at").asString());
        assertThat(next).isBetween(Instant.now(), Instant.now().plus(Duration.ofDays(1)));
        assertThat(tickTime(id)).isEqualTo(next);
        assertThat(on.get("cron").asString()).isEqualTo("0 0 12 * * *");
    }

    @Test
    void deletingAScheduleDropsItsTick() {
        String id = create(Map.of("cron", YEARLY)).get("id").asString();

        functions.owner().delete(schedules + "/" + id).expect(204);

        assertThat(tickCount(id)).isZero();
        functions.owner().get(schedules + "/" + id).expect(404);
        functions.owner().delete(schedules + "/" + id).expect(404);
    }

    @Test
    void deletingTheFunctionDeletesItsSchedulesAndTheirTicks() {
        String id = create(Map.of("cron", YEARLY)).get("id").asString();

        functions.owner().delete(functions.functionsPath() + "/" + function).expect(204);

        assertThat(tickCount(id)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM function_schedules WHERE project_id = ?::uuid",
                Integer.class, functions.projectId())).isZero();
        functions.owner().get(schedules).expect(404);
    }

    @Test
    void deletingTheProjectDeletesItsSchedulesTicks() {
        String id = create(Map.of("cron", YEARLY)).get("id").asString();

        functions.owner().delete(API + "/projects/" + functions.projectId()).expect(204);

        assertThat(tickCount(id)).isZero();
    }

    @Test
    void aFunctionsSchedulesAreReachedByItsNameToo() {
        String name = functions.owner().get(functions.functionsPath() + "/" + function).expect(200).json()
                .get("name").asString();
        String id = create(Map.of("cron", YEARLY)).get("id").asString();

        assertThat(functions.owner().get(functions.functionsPath() + "/" + name + "/schedules/" + id).expect(200)
                .json().get("id").asString()).isEqualTo(id);
    }

    @Test
    void anotherProjectsAdminCanNeitherSeeNorChangeASchedule() {
        String id = create(Map.of("cron", YEARLY)).get("id").asString();
        Functions other = Functions.inNewProject(port);
        AdminApi stranger = other.owner();
        String viaOther = other.functionsPath() + "/" + function + "/schedules";

        for (String path : List.of(schedules, viaOther)) {
            stranger.get(path).expect(404);
            stranger.get(path + "/" + id).expect(404);
            stranger.get(path + "/" + id + "/runs").expect(404);
            stranger.post(path, Map.of("cron", "* * * * * *")).expect(404);
            stranger.patch(path + "/" + id, Map.of("enabled", false)).expect(404);
            stranger.delete(path + "/" + id).expect(404);
        }
        // a schedule of the other project's own function cannot name this one either
        String theirs = other.deploy(ECHO);
        stranger.get(other.functionsPath() + "/" + theirs + "/schedules/" + id).expect(404);
        stranger.patch(other.functionsPath() + "/" + theirs + "/schedules/" + id, Map.of("enabled", false))
                .expect(404);

        JsonNode schedule = functions.owner().get(schedules + "/" + id).expect(200).json();
        assertThat(schedule.get("enabled").asBoolean()).isTrue();
        assertThat(tickCount(id)).isEqualTo(1);
    }

    @Test
    void aViewerReadsSchedulesButCannotWriteThem() {
        String id = create(Map.of("cron", YEARLY)).get("id").asString();
        AdminApi viewer = AdminApi.newAccount(port);
        functions.owner().addMember(functions.projectId(), viewer, "viewer");

        viewer.get(schedules).expect(200);
        viewer.get(schedules + "/" + id).expect(200);
        viewer.get(schedules + "/" + id + "/runs").expect(200);
        viewer.post(schedules, Map.of("cron", YEARLY)).expect(403);
        viewer.patch(schedules + "/" + id, Map.of("enabled", false)).expect(403);
        viewer.delete(schedules + "/" + id).expect(403);
        assertThat(functions.owner().get(schedules).expect(200).json().size()).isEqualTo(1);
    }

    private JsonNode create(Map<String, Object> body) {
        return functions.owner().post(schedules, new HashMap<>(body)).expect(201).json();
    }

    private List<JsonNode> runs(String scheduleId) {
        JsonNode list = functions.owner().get(schedules + "/" + scheduleId + "/runs").expect(200).json();
        return list.valueStream().toList();
    }

    private JsonNode firstFinishedRun(String scheduleId) {
        return runs(scheduleId).stream().filter(r -> !List.of("queued", "running").contains(r.get("status").asString()))
                .reduce((newer, older) -> older).orElse(null);
    }

    private static void assertField(AdminApi.Response response, String field) {
        JsonNode problem = response.expect(400).json();
        assertThat(problem.get("field").asString()).as("%s", problem).isEqualTo(field);
    }

    private String instance(String scheduleId) {
        return functions.projectId() + "/" + function + "/" + scheduleId;
    }

    private void moveTickTo(String scheduleId, Instant when) {
        assertThat(jdbc.update("UPDATE scheduled_tasks SET execution_time = ? WHERE task_name = 'function-schedule'"
                + " AND task_instance = ? AND NOT picked", Timestamp.from(when), instance(scheduleId))).isEqualTo(1);
    }

    private Instant tickTime(String scheduleId) {
        return jdbc.queryForObject("SELECT execution_time FROM scheduled_tasks WHERE task_name = 'function-schedule'"
                + " AND task_instance = ?", Timestamp.class, instance(scheduleId)).toInstant();
    }

    private int tickCount(String scheduleId) {
        return jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_name = 'function-schedule'"
                + " AND task_instance LIKE ?", Integer.class, "%/" + scheduleId);
    }

    private static Instant nextFirstOfJanuary() {
        return ZonedDateTime.now(ZoneId.of("UTC")).withDayOfYear(1).truncatedTo(ChronoUnit.DAYS).plusYears(1)
                .toInstant();
    }
}
