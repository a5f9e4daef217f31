package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** Async invocations (docs/functions.md; issue 11 §4): accepted at once, run later, retried, recorded. */
@IntegrationTest
class AsyncInvocationTest {

    /** Waits, polling the database every 0.2 s, until a test opens its gate (a document of the project). */
    static final String GATED = """
            def main():
                gate = request.get('gate')
                while db.find_one('gates', id=gate) is None:
                    time.sleep(0.2)
                print('through', gate)
                return {'gate': gate, 'method': request.method, 'path': request.path, 'q': request.query_params.get('q')}
            """;
    static final String OPENER = """
            def main():
                db.create_document('gates', {'id': request.get('gate')})
                return 'open'
            """;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Functions functions;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
    }

    @Test
    void anAsyncCallAnswers202WithItsExecutionIdBeforeTheFunctionHasRun() {
        String gated = functions.deploy(GATED);
        String opener = functions.deploy(OPENER);
        String gate = UUID.randomUUID().toString();

        AdminApi.Response accepted = functions.call("POST", "/functions/" + gated + "/async-invoke/orders/7?q=x",
                Map.of("gate", gate), Map.of()).expect(202);
        String executionId = accepted.json().get("execution_id").asString();
        assertThat(accepted.header("X-Execution-Id")).isEqualTo(executionId);
        assertThat(accepted.json().propertyNames()).containsExactly("execution_id");

        // The function cannot finish before the gate opens: its record says it waits or runs.
        assertThat(execution(gated, executionId).get("status").asString()).isIn("queued", "running");
        assertThat(execution(gated, executionId).get("trigger").asString()).isEqualTo("async");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> execution(gated, executionId).get("status").asString().equals("running"));

        functions.post(opener, Map.of("gate", gate)).expect(200);

        JsonNode done = awaitFinal(gated, executionId);
        assertThat(done.get("status").asString()).isEqualTo("success");
        assertThat(done.get("attempts").asInt()).isEqualTo(1);
        assertThat(done.get("http_status").asInt()).isEqualTo(200);
        assertThat(done.get("output").asString()).isEqualTo("through " + gate + "\n");
        JsonNode answer = JSON.readTree(done.get("result").get("body").asString());
        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.get("result").get("gate").asString()).isEqualTo(gate);
        assertThat(answer.get("result").get("method").asString()).isEqualTo("POST");
        assertThat(answer.get("result").get("path").asString()).isEqualTo("/orders/7");
        assertThat(answer.get("result").get("q").asString()).isEqualTo("x");
        assertThat(done.get("result").get("status").asInt()).isEqualTo(200);
        assertThat(done.get("result").get("headers").get("Content-Type").asString()).isEqualTo("application/json");
        assertThat(done.get("finished_at").isNull()).isFalse();
    }

    @Test
    void functionComputesHeaderMakesTheSyncUrlsAsync() {
        String gated = functions.deploy(GATED);
        String opener = functions.deploy(OPENER);
        String name = functions.owner().get(functions.functionsPath() + "/" + gated).expect(200).json().get("name")
                .asString();
        List<String> gates = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String url : List.of("/functions/" + gated + "/execute", "/functions/" + gated + "/invoke/a",
                "/functions/" + functions.projectId() + "/func/" + name)) {
            String gate = UUID.randomUUID().toString();
            Object body = url.contains("/func/") ? Map.of("payload", Map.of("gate", gate)) : Map.of("gate", gate);
            AdminApi.Response accepted = functions.call("POST", url, body, Map.of("X-Fc-Invocation-Type", "Async"))
                    .expect(202);
            gates.add(gate);
            ids.add(accepted.json().get("execution_id").asString());
        }
        gates.forEach(gate -> functions.post(opener, Map.of("gate", gate)).expect(200));
        for (int i = 0; i < ids.size(); i++) {
            JsonNode done = awaitFinal(gated, ids.get(i));
            assertThat(done.get("status").asString()).isEqualTo("success");
            assertThat(done.get("output").asString()).isEqualTo("through " + gates.get(i) + "\n");
        }
        // without the header the same URL answers when the function has run
        assertThat(functions.post(opener, Map.of("gate", "x")).expect(200).json().get("result").asString())
                .isEqualTo("open");
    }

    @Test
    void aFailingCallIsRetriedWithEachAttemptRecordedThenEndsInError() {
        String failing = functions.deploy("def main():\n    print('trying')\n    raise ValueError('always')\n",
                Map.of("async_retries", 2));
        String id = functions.call("POST", "/functions/" + failing + "/async-invoke/", Map.of(), Map.of()).expect(202)
                .json().get("execution_id").asString();

        JsonNode done = awaitFinal(failing, id);
        assertThat(done.get("status").asString()).isEqualTo("error");
        assertThat(done.get("attempts").asInt()).isEqualTo(3);
        assertThat(done.get("http_status").asInt()).isEqualTo(500);
        assertThat(done.get("error").asString()).isEqualTo("ValueError: always");
        assertThat(done.get("traceback").asString()).contains("ValueError: always");
        assertThat(done.get("output").asString()).isEqualTo("trying\n");
        JsonNode history = done.get("attempt_history");
        assertThat(history.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(history.get(i).get("attempt").asInt()).isEqualTo(i + 1);
            assertThat(history.get(i).get("status").asString()).isEqualTo("error");
            assertThat(history.get(i).get("error").asString()).isEqualTo("ValueError: always");
        }
        // exponential backoff: the second wait is at least twice the first (1 s, then 2 s by default)
        java.time.Instant first = java.time.Instant.parse(history.get(0).get("started_at").asString());
        java.time.Instant second = java.time.Instant.parse(history.get(1).get("started_at").asString());
        java.time.Instant third = java.time.Instant.parse(history.get(2).get("started_at").asString());
        assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.between(second, third)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aCallThatFailsTwiceThenSucceedsEndsInSuccessWithItsFailuresRecorded() {
        String flaky = functions.deploy("""
                def main():
                    before = db.count_documents('tries')
                    db.create_document('tries', {'n': before})
                    if before < 2:
                        raise RuntimeError('attempt ' + str(before + 1) + ' fails')
                    return {'attempt': before + 1}
                """);
        String id = functions.call("POST", "/functions/" + flaky + "/async-invoke/", Map.of(), Map.of()).expect(202)
                .json().get("execution_id").asString();

        JsonNode done = awaitFinal(flaky, id);
        assertThat(done.get("status").asString()).isEqualTo("success");
        assertThat(done.get("attempts").asInt()).isEqualTo(3);
        assertThat(done.get("error").isNull()).isTrue();
        assertThat(JSON.readTree(done.get("result").get("body").asString()).get("result").get("attempt").asInt())
                .isEqualTo(3);
        JsonNode history = done.get("attempt_history");
        assertThat(history.size()).isEqualTo(3);
        assertThat(history.get(0).get("error").asString()).isEqualTo("RuntimeError: attempt 1 fails");
        assertThat(history.get(1).get("error").asString()).isEqualTo("RuntimeError: attempt 2 fails");
        assertThat(history.get(2).get("status").asString()).isEqualTo("success");
    }

    @Test
    void aTimedOutCallIsRetriedAndRecordedAsTimeout() {
        String slow = functions.deploy("def main():\n    time.sleep(30)\n",
                Map.of("timeout_s", 1, "async_retries", 1));
        String id = functions.call("GET", "/functions/" + slow + "/async-invoke/", null, Map.of()).expect(202)
                .json().get("execution_id").asString();

        JsonNode done = awaitFinal(slow, id);
        assertThat(done.get("status").asString()).isEqualTo("timeout");
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        assertThat(done.get("http_status").asInt()).isEqualTo(504);
        assertThat(done.get("attempt_history").findValuesAsString("status")).containsExactly("timeout", "timeout");
    }

    @Test
    void aClientErrorTheFunctionAnswersIsNotRetried() {
        String refusing = functions.deploy("def main():\n    return {'error': 'no such order'}, 404\n");
        String id = functions.call("GET", "/functions/" + refusing + "/async-invoke/", null, Map.of()).expect(202)
                .json().get("execution_id").asString();

        JsonNode done = awaitFinal(refusing, id);
        assertThat(done.get("status").asString()).isEqualTo("error");
        assertThat(done.get("attempts").asInt()).isEqualTo(1);
        assertThat(done.get("result").get("status").asInt()).isEqualTo(404);
    }

    @Test
    void aCallThatFindsItsProjectsShareFullWaitsWithoutUsingAnAttempt() {
        String holder = functions.deploy("""
                def main():
                    db.create_document('holders', {'id': 'holding'})
                    while db.find_one('gates', id='holding') is None:
                        time.sleep(0.2)
                    return 'released'
                """);
        String gated = functions.deploy(GATED);
        String opener = functions.deploy(OPENER);
        AdminApi.root(port).put(API + "/projects/" + functions.projectId() + "/limits",
                Map.of("concurrent_calls", 1, "queued_calls", 0)).expect(200);
        // A synchronous call holds the project's only slot until its gate opens (tried again while the slot is
        // still taken by warming up the functions just deployed).
        CompletableFuture<AdminApi.Response> holding = CompletableFuture.supplyAsync(() -> {
            AdminApi.Response answer;
            while ((answer = functions.get(holder, "")).status() == 503) {
                Thread.onSpinWait();
            }
            return answer;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("SELECT count(*) FROM documents"
                + " WHERE project_id = ?::uuid AND collection = 'holders'", Integer.class, functions.projectId()) == 1);

        String gate = UUID.randomUUID().toString();
        String id = functions.call("POST", "/functions/" + gated + "/async-invoke/", Map.of("gate", gate),
                Map.of()).expect(202).json().get("execution_id").asString();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode record = execution(gated, id);
            return record.get("status").asString().equals("queued") && record.get("attempts").asInt() == 0
                    && !record.get("next_attempt_at").isNull() && record.get("error").asString("").contains("Busy");
        });

        // room for the holder, the async call and the two openers
        AdminApi.root(port).put(API + "/projects/" + functions.projectId() + "/limits",
                Map.of("concurrent_calls", 4, "queued_calls", 0)).expect(200);
        functions.post(opener, Map.of("gate", "holding")).expect(200);
        functions.post(opener, Map.of("gate", gate)).expect(200);
        assertThat(holding.join().status()).isEqualTo(200);

        JsonNode done = awaitFinal(gated, id);
        assertThat(done.get("status").asString()).isEqualTo("success");
        assertThat(done.get("attempts").asInt()).as("waiting for a slot is not an attempt").isEqualTo(1);
        assertThat(done.get("attempt_history").size()).isEqualTo(1);
        assertThat(done.get("error").isNull()).isTrue();
    }

    @Test
    void aCallWhoseServerDiedDuringItsLastAllowedAttemptEndsInErrorSayingSo() {
        String function = functions.deploy("def main():\n    return 'never'\n", Map.of("async_retries", 0));
        // What a server killed during the only allowed attempt leaves behind, once that server's claim is revived:
        // the record running with one attempt counted, and the call due again.
        UUID id = FunctionExecutor.timeOrderedId();
        jdbc.update("""
                INSERT INTO executions (project_id, id, function_id, trigger, status, request, attempts, started_at)
                VALUES (?::uuid, ?, ?::uuid, 'async', 'running', ?::jsonb, 1, now())""", functions.projectId(), id,
                function, "{\"method\": \"GET\", \"mount_path\": \"\", \"route_prefix\": \"\", \"path\": \"/\","
                        + " \"query_string\": \"\", \"headers\": [], \"body_base64\": \"\", \"params\": {},"
                        + " \"user\": null, \"peer\": null}");
        jdbc.update("""
                INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version)
                VALUES ('async-invocation', ?, now(), false, 1)""",
                functions.projectId() + "/" + function + "/" + id);

        JsonNode done = awaitFinal(function, id.toString());
        assertThat(done.get("status").asString()).isEqualTo("error");
        assertThat(done.get("attempts").asInt()).isEqualTo(1);
        assertThat(done.get("error").asString())
                .isEqualTo("The server running attempt 1 stopped before it finished, and no attempts are left");
        assertThat(done.get("output").isNull()).as("the function did not run again").isTrue();
    }

    @Test
    void asyncRetriesIsAFunctionSettingFromZeroToEight() {
        String id = functions.deploy("def main():\n    return 1\n");
        assertThat(functions.owner().get(functions.functionsPath() + "/" + id).expect(200).json()
                .get("async_retries").asInt()).isEqualTo(3);
        assertThat(functions.owner().patch(functions.functionsPath() + "/" + id, Map.of("async_retries", 0))
                .expect(200).json().get("async_retries").asInt()).isZero();
        assertThat(functions.owner().get(functions.functionsPath()).expect(200).json().get(0).get("async_retries")
                .asInt()).isZero();
        AdminApi.Response tooMany = functions.owner().patch(functions.functionsPath() + "/" + id,
                Map.of("async_retries", 9));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body()).contains("async_retries");
    }

    @Test
    void theBodyOfAnAsyncCallIsLimitedTo128KB() {
        String echo = functions.deploy("def main():\n    return len(request.body)\n");
        String atLimit = "x".repeat(128 * 1024);
        String over = "x".repeat(128 * 1024 + 1);

        AdminApi.Response refused = functions.call("POST", "/functions/" + echo + "/async-invoke/", over,
                Map.of("Content-Type", "text/plain"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asString()).isEqualTo("InvalidArgument");
        assertThat(refused.json().get("message").asString()).contains("131073").contains("131072");
        AdminApi.Response refusedByHeader = functions.call("POST", "/functions/" + echo + "/execute", over,
                Map.of("Content-Type", "text/plain", "X-Fc-Invocation-Type", "Async"));
        assertThat(refusedByHeader.status()).isEqualTo(400);
        assertThat(refusedByHeader.json().get("error").asString()).isEqualTo("InvalidArgument");

        String accepted = functions.call("POST", "/functions/" + echo + "/async-invoke/", atLimit,
                Map.of("Content-Type", "text/plain")).expect(202).json().get("execution_id").asString();
        JsonNode done = awaitFinal(echo, accepted);
        assertThat(JSON.readTree(done.get("result").get("body").asString()).get("result").asInt())
                .isEqualTo(128 * 1024);
        // the synchronous URL keeps its own, larger limit
        assertThat(functions.call("POST", "/functions/" + echo + "/execute", over, Map.of("Content-Type",
                "text/plain")).expect(200).json().get("result").asInt()).isEqualTo(128 * 1024 + 1);
    }

    @Test
    void aChunkedBodyOverTheAsyncLimitIsRefusedToo() throws Exception {
        String echo = functions.deploy("def main():\n    return len(request.body)\n");
        // ofInputStream announces no length: the body arrives chunked
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/functions/" + echo
                + "/async-invoke/")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[200_000])))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo("InvalidArgument");
        assertThat(JSON.readTree(response.body()).get("message").asString()).contains("200000");
    }

    @Test
    void anotherProjectsAdminCannotReadTheExecution() {
        String echo = functions.deploy("def main():\n    return 'secret'\n");
        String id = functions.call("GET", "/functions/" + echo + "/async-invoke/", null, Map.of()).expect(202)
                .json().get("execution_id").asString();
        awaitFinal(echo, id);

        Functions other = Functions.inNewProject(port);
        String theirs = other.deploy("def main():\n    return 1\n");
        other.owner().get(API + "/projects/" + other.projectId() + "/functions/" + theirs + "/executions/" + id)
                .expect(404);
        AdminApi.Response intoVictim = other.owner().get(functions.functionsPath() + "/" + echo + "/executions/" + id);
        assertThat(intoVictim.status()).isIn(403, 404);
        assertThat(intoVictim.body()).doesNotContain("secret");
    }

    @Test
    void aRequireAuthFunctionRefusesAnAsyncCallWithoutATokenAndSeesTheUserOfOneLater() {
        String whoAmI = functions.deploy("def main():\n    return request.user.email\n", Map.of("require_auth", true));
        String key = functions.owner().post(API + "/projects/" + functions.projectId() + "/keys",
                Map.of("kind", "client")).expect(201).json().get("key").asString();
        String email = "app-" + UUID.randomUUID() + "@example.com";
        String token = AdminApi.anonymous(port).send("POST", "/auth-collections/signup", Map.of("email", email,
                "password", "app-user-password"), Map.of("x-api-key", key)).expect(201).json().get("access_token")
                .asString();

        functions.call("POST", "/functions/" + whoAmI + "/async-invoke/", Map.of(), Map.of()).expect(401);
        String id = functions.call("POST", "/functions/" + whoAmI + "/async-invoke/", Map.of(),
                Map.of("Authorization", "Bearer " + token)).expect(202).json().get("execution_id").asString();

        JsonNode done = awaitFinal(whoAmI, id);
        assertThat(JSON.readTree(done.get("result").get("body").asString()).get("result").asString())
                .isEqualTo(email);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM executions WHERE project_id = ?::uuid AND function_id"
                + " = ?::uuid AND request IS NOT NULL", Integer.class, functions.projectId(), whoAmI))
                .as("a finished call keeps no request (nor the token in its headers)").isZero();
    }

    @Test
    void aDisabledFunctionRefusesAsyncCalls() {
        String off = functions.deploy("def main():\n    return 1\n", Map.of("enabled", false));
        functions.call("POST", "/functions/" + off + "/async-invoke/", Map.of(), Map.of()).expect(403);
        functions.call("GET", "/functions/" + UUID.randomUUID() + "/async-invoke/", null, Map.of()).expect(404);
    }

    @Test
    void deletingAFunctionDropsItsWaitingCalls() {
        String gated = functions.deploy(GATED, Map.of("timeout_s", 3));
        String id = functions.call("POST", "/functions/" + gated + "/async-invoke/", Map.of("gate", "never"), Map.of())
                .expect(202).json().get("execution_id").asString();
        assertThat(queuedTasksOf(gated)).isEqualTo(1);

        functions.owner().delete(functions.functionsPath() + "/" + gated).expect(204);

        assertThat(queuedTasksOf(gated)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM executions WHERE project_id = ?::uuid AND id = ?::uuid",
                Integer.class, functions.projectId(), id)).isZero();
    }

    @Test
    void deletingAProjectDropsItsWaitingCalls() {
        String gated = functions.deploy(GATED, Map.of("timeout_s", 3));
        functions.call("POST", "/functions/" + gated + "/async-invoke/", Map.of("gate", "never"), Map.of())
                .expect(202);
        assertThat(queuedTasksOf(gated)).isEqualTo(1);

        functions.owner().delete(API + "/projects/" + functions.projectId()).expect(204);

        assertThat(queuedTasksOf(gated)).isZero();
    }

    @Test
    void aLargeAnswerIsKeptUpToOneMegabyteAndSaysItWasCut() {
        String big = functions.deploy("""
                def handle(req):
                    return {"body": "x" * (3 * 1024 * 1024)}
                """);
        String id = functions.call("POST", "/functions/" + big + "/async-invoke/", Map.of(), Map.of()).expect(202)
                .json().get("execution_id").asString();

        JsonNode result = awaitFinal(big, id).get("result");

        assertThat(result.get("status").asInt()).isEqualTo(200);
        assertThat(result.get("truncated").asBoolean()).isTrue();
        assertThat(result.get("body").asString()).hasSize(AsyncAttempts.MAX_STORED_BODY_BYTES);
    }

    private int queuedTasksOf(String functionId) {
        return jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_name = 'async-invocation'"
                + " AND task_instance LIKE ?", Integer.class, functions.projectId() + "/" + functionId + "/%");
    }

    private JsonNode execution(String functionId, String executionId) {
        return functions.owner().get(functions.functionsPath() + "/" + functionId + "/executions/" + executionId)
                .expect(200).json();
    }

    /** The record once its status is final (success, error, timeout). */
    private JsonNode awaitFinal(String functionId, String executionId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> List.of("success",
                "error", "timeout").contains(execution(functionId, executionId).get("status").asString()));
        return execution(functionId, executionId);
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper
            .builder().build();
}
