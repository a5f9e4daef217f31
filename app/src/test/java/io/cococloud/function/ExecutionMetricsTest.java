package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * What /actuator/prometheus promises an operator, read as an instance administrator reads it: calls, errors and
 * durations per project and function, the runtime's pools per project, the async queue and the mail outbox; and a
 * deleted project's series go with it.
 */
@IntegrationTest
class ExecutionMetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*?)})? (\\S+)(?: .*)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @LocalServerPort
    int port;

    @Test
    void callsErrorsAndDurationsAreCountedPerProjectAndFunction() {
        Functions functions = Functions.inNewProject(port);
        String project = functions.projectId();
        String ok = functions.deploy("def main():\n    return 'ok'\n", Map.of("name", "ok"));
        String failing = functions.deploy("def main():\n    raise ValueError('no')\n", Map.of("name", "failing"));
        functions.get(ok, "").expect(200);
        functions.get(ok, "").expect(200);
        functions.get(failing, "").expect(500);

        String metrics = scrape();
        assertThat(value(metrics, "cococloud_function_calls_seconds_count",
                Map.of("project", project, "function", "ok", "outcome", "success"))).hasValue(2.0);
        assertThat(value(metrics, "cococloud_function_calls_seconds_count",
                Map.of("project", project, "function", "failing", "outcome", "error"))).hasValue(1.0);
        assertThat(value(metrics, "cococloud_function_calls_seconds_count",
                Map.of("project", project, "function", "ok", "outcome", "error"))).isEmpty();
        assertThat(value(metrics, "cococloud_function_calls_seconds_sum",
                Map.of("project", project, "function", "ok", "outcome", "success")).orElseThrow()).isPositive();
        assertThat(value(metrics, "cococloud_function_calls_seconds_max",
                Map.of("project", project, "function", "ok", "outcome", "success")).orElseThrow()).isPositive();
    }

    @Test
    void serverRequestsToAnExecuteUrlAreCountedUnderItsPattern() {
        // /execute is mapped ahead of Spring MVC's own mapping (ExecutionController.ExecuteUrlMapping): the server's
        // request metrics still name its pattern, never one series per function id
        Functions functions = Functions.inNewProject(port);
        String ok = functions.deploy("def main():\n    return 'ok'\n", Map.of("name", "ok"));
        functions.get(ok, "").expect(200);

        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            String metrics = scrape();
            assertThat(value(metrics, "http_server_requests_seconds_count",
                    Map.of("uri", "/functions/{functionId}/execute", "status", "200")).orElseThrow())
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(metrics).doesNotContain("uri=\"/functions/" + ok);
        });
    }

    @Test
    void poolsQueuesAndTheOutboxAreGaugedAndADeletedProjectsSeriesGo() {
        Functions functions = Functions.inNewProject(port);
        String project = functions.projectId();
        String ok = functions.deploy("def main():\n    return 'ok'\n", Map.of("name", "ok"));
        functions.get(ok, "").expect(200);

        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            String metrics = scrape();
            assertThat(value(metrics, "cococloud_runtime_contexts", Map.of("project", project)).orElseThrow())
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(value(metrics, "cococloud_runtime_calls_running", Map.of("project", project))).hasValue(0.0);
            assertThat(value(metrics, "cococloud_runtime_calls_queued", Map.of("project", project))).hasValue(0.0);
        });
        String metrics = scrape();
        assertThat(value(metrics, "cococloud_async_calls", Map.of("state", "queued")).orElseThrow())
                .isGreaterThanOrEqualTo(0.0);
        assertThat(value(metrics, "cococloud_async_calls", Map.of("state", "running")).orElseThrow())
                .isGreaterThanOrEqualTo(0.0);
        assertThat(value(metrics, "cococloud_mail_outbox_depth", Map.of()).orElseThrow()).isGreaterThanOrEqualTo(0.0);
        assertThat(value(metrics, "cococloud_executions_log_backlog", Map.of()).orElseThrow())
                .isGreaterThanOrEqualTo(0.0);
        assertThat(value(metrics, "cococloud_executions_log_dropped_total", Map.of()).orElseThrow())
                .isGreaterThanOrEqualTo(0.0);

        functions.owner().delete(AdminApi.API + "/projects/" + project).expect(204);
        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            String after = scrape();
            assertThat(value(after, "cococloud_runtime_contexts", Map.of("project", project))).isEmpty();
            assertThat(value(after, "cococloud_function_calls_seconds_count",
                    Map.of("project", project, "function", "ok", "outcome", "success"))).isEmpty();
        });
    }

    private String scrape() {
        return AdminApi.root(port).get("/actuator/prometheus").expect(200).body();
    }

    /** The sample of the series whose labels include these, or empty when there is none. */
    private static OptionalDouble value(String metrics, String name, Map<String, String> labels) {
        for (String line : metrics.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches() || !sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> has = new java.util.HashMap<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                has.put(label.group(1), label.group(2));
            }
            if (has.entrySet().containsAll(labels.entrySet())) {
                return OptionalDouble.of(Double.parseDouble(sample.group(3)));
            }
        }
        return OptionalDouble.empty();
    }
}
