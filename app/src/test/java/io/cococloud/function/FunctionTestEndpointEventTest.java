package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API's test call with a raw event (issue 11 §1, docs/functions.md), as Function Compute's console
 * "Test Function" sends its configured test parameters: a string is the event's bytes as text, any other JSON
 * value its JSON bytes, and the answer is what the handler returned. The examples are
 * reference/alibaba-fc-event-handlers.txt's, verbatim (indentation restored).
 */
@IntegrationTest
class FunctionTestEndpointEventTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Example 1: Parse JSON-formatted parameters. */
    private static final String EXAMPLE_1 = """
            # -*- coding: utf-8 -*-
            import json
            def handler(event, context):
                evt = json.loads(event)
                return evt['key']
            """;

    @LocalServerPort
    int port;

    Functions functions;
    AdminApi owner;
    String base;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        owner = functions.owner();
        base = functions.functionsPath();
    }

    private String deployEvent(String code) {
        return functions.deploy(code, Map.of("handler", "index.handler"));
    }

    private JsonNode test(String id, Map<String, Object> body) {
        return owner.post(base + "/" + id + "/test", body).expect(200).json();
    }

    @Test
    void example1TheJsonTestEventKeyValueAnswersValue() {
        String id = deployEvent(EXAMPLE_1);
        JsonNode result = test(id, Map.of("event", Map.of("key", "value")));
        assertThat(result.get("status").asInt()).isEqualTo(200);
        assertThat(result.get("body").asString()).isEqualTo("value");
    }

    @Test
    void aStringEventIsTheEventsBytesAsText() {
        String id = deployEvent(EXAMPLE_1);
        JsonNode result = test(id, Map.of("event", "{ \"key\": \"from text\" }"));
        assertThat(result.get("body").asString()).isEqualTo("from text");
    }

    @Test
    void possibleErrorsATestEventThatIsNotAnHttpTriggersAnswersSo() {
        String id = deployEvent(FcEventReferenceExamplesTest.HTTP_TRIGGER_EXAMPLE);
        // the console's test parameters were the text "Hello, FC!" with its quotes: JSON, but no 'body' field
        JsonNode quoted = test(id, Map.of("event", "\"Hello, FC!\""));
        assertThat(quoted.get("status").asInt()).isEqualTo(200);
        assertThat(quoted.get("body").asString()).startsWith("The request did not come from an HTTP Trigger")
                .contains("does not include the 'body' field").contains("\"Hello, FC!\"");

        JsonNode bare = test(id, Map.of("event", "Hello, FC!"));
        assertThat(bare.get("body").asString()).startsWith("The request did not come from an HTTP Trigger")
                .contains("not a json string").contains("Hello, FC!");
    }

    @Test
    void anHttpTriggerShapedEventAnswersWhatTheHandlerReturned() {
        // A test event is not an HTTP call: as Function Compute's console shows it, the answer is the handler's
        // return value itself (here the dict an HTTP trigger would have turned into a response), as JSON.
        String id = deployEvent(FcEventReferenceExamplesTest.HTTP_TRIGGER_EXAMPLE);
        JsonNode result = test(id, Map.of("event", Map.of("body", "SGVsbG8gZmMzLjA=", "isBase64Encoded", true)));
        assertThat(result.get("status").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(result.get("body").asString())).isEqualTo(JSON.readTree("""
                {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "isBase64Encoded": false,
                 "body": "Hello fc3.0"}"""));
    }

    @Test
    void aTestWithAnEventIsRecordedWithTriggerTest() {
        String id = deployEvent(EXAMPLE_1);
        String executionId = test(id, Map.of("event", Map.of("key", "value"))).get("execution_id").asString();
        JsonNode execution = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> owner.get(base + "/" + id + "/executions/" + executionId),
                        response -> response.status() == 200)
                .json();
        assertThat(execution.get("trigger").asString()).isEqualTo("test");
    }

    @Test
    void anEventForAFunctionOfAnotherStyleIsRefusedNamingItsStyle() {
        String main = functions.deploy("def main():\n    return 1\n");
        String detail = owner.post(base + "/" + main + "/test", Map.of("event", Map.of("key", "value"))).expect(400)
                .json().get("detail").asString();
        assertThat(detail).contains("'main'").contains("event");

        String handle = functions.deploy("def handle(req):\n    return {'body': 'hi'}\n");
        assertThat(owner.post(base + "/" + handle + "/test", Map.of("event", "x")).expect(400).json().get("detail")
                .asString()).contains("'handle'");
    }

    @Test
    void anEventGoesAloneWithoutARequestsParts() {
        String id = deployEvent(EXAMPLE_1);
        Map<String, Object> body = new HashMap<>();
        body.put("event", Map.of("key", "value"));
        body.put("method", "POST");
        assertThat(owner.post(base + "/" + id + "/test", body).expect(400).json().get("detail").asString())
                .contains("event").contains("method");
    }

    @Test
    void aViewerCannotSendATestEvent() {
        String id = deployEvent(EXAMPLE_1);
        AdminApi viewer = AdminApi.newAccount(port);
        owner.addMember(functions.projectId(), viewer, "viewer");
        viewer.post(base + "/" + id + "/test", Map.of("event", Map.of("key", "value"))).expect(403);
    }
}
