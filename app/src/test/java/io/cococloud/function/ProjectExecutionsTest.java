package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * GET /projects/{p}/executions: every execution of a project, newest first, each named by what ran, filtered by
 * status, trigger, function, time; {@code before} pages back (also on a function's own list).
 */
@IntegrationTest
class ProjectExecutionsTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Functions functions;
    AdminApi owner;
    UUID project;
    String executions;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        owner = functions.owner();
        project = UUID.fromString(functions.projectId());
        executions = API + "/projects/" + project + "/executions";
    }

    @Test
    void listsEveryFunctionsExecutionsNewestFirstWithTheFunctionsName() {
        String hello = functions.deploy("def main():\n    return 'hi'\n", Map.of("name", "hello"));
        String broken = functions.deploy("def main():\n    raise ValueError('no')\n", Map.of("name", "broken"));
        functions.get(hello, "").expect(200);
        awaitCount(executions, 1);
        functions.get(broken, "").expect(500);

        JsonNode list = awaitCount(executions, 2);

        assertThat(list.get(0).get("function_name").asString()).isEqualTo("broken");
        assertThat(list.get(0).get("function_id").asString()).isEqualTo(broken);
        assertThat(list.get(0).get("status").asString()).isEqualTo("error");
        assertThat(list.get(0).get("trigger").asString()).isEqualTo("http");
        assertThat(list.get(0).get("error").asString()).contains("no");
        assertThat(list.get(1).get("function_name").asString()).isEqualTo("hello");
        assertThat(list.get(1).get("status").asString()).isEqualTo("success");
        assertThat(list.get(1).has("duration_ms")).isTrue();
    }

    @Test
    void anExecutionRecordKeepsWhatTheFunctionPrintedCharacterForCharacter() {
        String chatty = functions.deploy("def main():\n"
                + "    print('caf\\u00e9, \"quoted\", \\u65e5\\u672c \\U0001f680\\nsecond line', end='')\n"
                + "    return 1\n");
        functions.get(chatty, "").expect(200);
        awaitCount(executions, 1);

        String output = jdbc.queryForObject("SELECT output FROM executions WHERE function_id = ?", String.class,
                UUID.fromString(chatty));

        assertThat(output).isEqualTo("caf\u00e9, \"quoted\", \u65e5\u672c \uD83D\uDE80\nsecond line");
    }

    @Test
    void filtersByStatusTriggerAndFunctionByIdOrName() {
        String hello = functions.deploy("def main():\n    return 'hi'\n", Map.of("name", "hello"));
        String broken = functions.deploy("def main():\n    raise ValueError('no')\n", Map.of("name", "broken"));
        functions.get(hello, "").expect(200);
        owner.post(functions.functionsPath() + "/hello/test", Map.of()).expect(200);
        functions.get(broken, "").expect(500);
        awaitCount(executions, 3);

        assertThat(functionNames(executions + "?status=error")).containsExactly("broken");
        assertThat(functionNames(executions + "?trigger=test")).containsExactly("hello");
        assertThat(triggers(executions + "?function=hello")).containsExactly("test", "http");
        assertThat(triggers(executions + "?function=" + hello + "&trigger=http")).containsExactly("http");
        assertThat(functionNames(executions + "?status=success&trigger=http")).containsExactly("hello");
    }

    @Test
    void sinceAndBeforeBoundTheTimeAndBeforePagesBack() {
        UUID fn = UUID.fromString(functions.deploy("def main():\n    return 1\n", Map.of("name", "paged")));
        Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        for (int minute = 0; minute < 5; minute++) {
            record(fn, "success", start.plus(minute, ChronoUnit.MINUTES));
        }

        JsonNode first = owner.get(executions + "?limit=2").expect(200).json();
        assertThat(createdAt(first)).containsExactly(start.plus(4, ChronoUnit.MINUTES),
                start.plus(3, ChronoUnit.MINUTES));
        JsonNode second = owner.get(executions + "?limit=2&before=" + at(start.plus(3, ChronoUnit.MINUTES)))
                .expect(200).json();
        assertThat(createdAt(second)).containsExactly(start.plus(2, ChronoUnit.MINUTES),
                start.plus(1, ChronoUnit.MINUTES));
        JsonNode window = owner.get(executions + "?since=" + at(start.plus(1, ChronoUnit.MINUTES)) + "&before="
                + at(start.plus(3, ChronoUnit.MINUTES))).expect(200).json();
        assertThat(createdAt(window)).containsExactly(start.plus(2, ChronoUnit.MINUTES),
                start.plus(1, ChronoUnit.MINUTES));
        JsonNode functionPage = owner.get(functions.functionsPath() + "/paged/executions?limit=10&before="
                + at(start.plus(2, ChronoUnit.MINUTES))).expect(200).json();
        assertThat(createdAt(functionPage)).containsExactly(start.plus(1, ChronoUnit.MINUTES), start);
    }

    @Test
    void aSiteRoutesExecutionsAreNamedByTheRouteFile() {
        SiteDeploys site = new SiteDeploys(port, owner, project.toString());
        site.deploy(SiteDeploys.files("cloud-functions/api/hello.py", "def main():\n    return 'route'\n"));
        site.getOnceLoaded("/api/hello").expect(200);

        JsonNode list = awaitCount(executions + "?trigger=route", 1);

        assertThat(list.get(0).get("function_name").asString()).isEqualTo("api/hello.py");
        assertThat(triggers(executions + "?function=api/hello.py")).containsExactly("route");
    }

    @Test
    void everyTriggerAnExecutionCanHaveIsAFilter() {
        for (String trigger : List.of("http", "async", "test", "route", "schedule", "hook")) {
            owner.get(executions + "?trigger=" + trigger).expect(200);
        }
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        expectBad("?status=exploded", "status", "status must be one of success, error, timeout, queued, running");
        expectBad("?trigger=cron", "trigger", "trigger must be one of http, async, test, route, schedule, hook");
        expectBad("?limit=0", "limit", "limit must be between 1 and 500");
        expectBad("?limit=501", "limit", "limit must be between 1 and 500");
        expectBad("?since=yesterday", "since", "since 'yesterday' is not a valid Instant");
        expectBad("?before=soon", "before", "before 'soon' is not a valid Instant");
        expectBad("?function=nothing-here", "function",
                "function 'nothing-here' is neither an id nor the name of a function or site route of this project");
    }

    @Test
    void viewersListAProjectsExecutionsAndOutsidersCannotSeeThem() {
        AdminApi viewer = AdminApi.newAccount(port);
        owner.addMember(project.toString(), viewer, "viewer");
        String id = functions.deploy("def main():\n    return 1\n", Map.of("name", "seen"));
        functions.get(id, "").expect(200);
        awaitCount(executions, 1);

        assertThat(viewer.get(executions).expect(200).json().get(0).get("function_name").asString())
                .isEqualTo("seen");
        AdminApi.newAccount(port).get(executions).expect(404);
    }

    @Test
    void theProjectWideListReadsAnIndexInTimeOrder() {
        UUID fn = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO executions (project_id, id, function_id, version, trigger, status, duration_ms, created_at)
                SELECT ?, gen_random_uuid(), ?, 1, 'http', 'success', 1, now() - i * interval '1 minute'
                FROM generate_series(1, 20000) i""", project, fn);
        jdbc.execute("ANALYZE executions");

        String plan = String.join("\n", jdbc.queryForList("EXPLAIN SELECT * FROM executions WHERE project_id = '"
                + project + "' ORDER BY created_at DESC LIMIT 50", String.class));

        assertThat(plan).contains("executions_by_project").doesNotContain("Seq Scan").doesNotContain("Sort");
    }

    private void expectBad(String query, String field, String detail) {
        JsonNode problem = owner.get(executions + query).expect(400).json();
        assertThat(problem.get("field").asString()).as(query).isEqualTo(field);
        assertThat(problem.get("detail").asString()).as(query).isEqualTo(detail);
    }

    private JsonNode awaitCount(String path, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> owner.get(path).expect(200).json().size() >= count);
        return owner.get(path).expect(200).json();
    }

    private List<String> functionNames(String path) {
        return owner.get(path).expect(200).json().valueStream().map(e -> e.get("function_name").asString()).toList();
    }

    private List<String> triggers(String path) {
        return owner.get(path).expect(200).json().valueStream().map(e -> e.get("trigger").asString()).toList();
    }

    private static List<Instant> createdAt(JsonNode list) {
        return list.valueStream().map(e -> Instant.parse(e.get("created_at").asString())).toList();
    }

    private static String at(Instant instant) {
        return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
    }

    private void record(UUID functionId, String status, Instant at) {
        jdbc.update("""
                INSERT INTO executions (project_id, id, function_id, version, trigger, status, duration_ms, created_at)
                VALUES (?, ?, ?, 1, 'http', ?, 5, ?)""", project, UUID.randomUUID(), functionId, status,
                Timestamp.from(at));
    }
}
