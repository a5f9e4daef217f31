package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.runtime.FunctionCode;
import io.cococloud.runtime.Invocation;
import io.cococloud.runtime.Outcome;
import io.cococloud.runtime.PythonRuntime;
import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * The event-handler examples of reference/alibaba-fc-event-handlers.txt, verbatim. Over HTTP (the document's
 * HTTP-trigger example) they are called at /functions/{id}/invoke/...; the examples driven by the console's test
 * event run with that raw event in the server's runtime (the admin API's raw-event test call, which passes the
 * same Invocation.rawEvent, is tested with the admin API). oss2 examples deploy and fail with a clear
 * ModuleNotFoundError; the subprocess example fails with the sandbox's error.
 */
@IntegrationTest
class FcEventReferenceExamplesTest {

    private static Functions functions;

    @LocalServerPort
    int port;

    @Autowired
    PythonRuntime runtime;

    @BeforeEach
    void oneProjectForAllExamples() {
        if (functions == null) {
            functions = Functions.inNewProject(port);
        }
    }

    private AdminApi.Response invoke(String id, String method, String body) {
        return functions.call(method, "/functions/" + id + "/invoke/", body,
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    /** The console's "Test Function" with its test parameters: the event is those bytes. */
    private Outcome testEvent(String code, String event) {
        FunctionCode function = new FunctionCode(UUID.fromString(functions.projectId()), UUID.randomUUID(), "index",
                1, "event", "index.py", "handler", Map.of("index.py", code), Duration.ofSeconds(10));
        return runtime.run(new Invocation(function, UUID.randomUUID().toString(), "POST", "", "", "/", "", List.of(),
                List.of(), new byte[0], Map.of(), null, Invocation.Peer.LOCAL, event.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theHandlerSignatureAnswersHelloWorld() {
        String id = functions.deploy("""
                def handler(event, context):
                    return 'hello world'
                """);

        assertThat(invoke(id, "GET", null).expect(200).body()).isEqualTo("hello world");
    }

    @Test
    void example1ParsesTheJsonTestEvent() {
        Outcome outcome = testEvent("""
                # -*- coding: utf-8 -*-
                import json
                def handler(event, context):
                    evt = json.loads(event)
                    return evt['key']
                """, "{ \"key\": \"value\" }");

        assertThat(outcome.status()).isEqualTo(200);
        assertThat(new String(outcome.body(), StandardCharsets.UTF_8)).isEqualTo("value");
    }

    @Test
    void example2ForPython312DeploysAndFailsWithAClearModuleNotFoundError() {
        String id = functions.deploy("""
                import json
                import oss2
                def handler(event, context):
                    evt = json.loads(event)
                    auth = oss2.StsAuth(os.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), os.getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), os.getenv("ALIBABA_CLOUD_SECURITY_TOKEN"))
                    bucket = oss2.Bucket(auth, evt['endpoint'], evt['bucket'])
                    bucket.put_object(evt['objectName'], evt['message'])
                    return 'success'
                """);

        JsonNode answer = invoke(id, "POST", "{}").expect(500).json();

        assertThat(answer.get("error").asString()).isEqualTo("ModuleNotFoundError: No module named 'oss2'");
    }

    @Test
    void example2ForPython310DeploysAndFailsWithAClearModuleNotFoundError() {
        String id = functions.deploy("""
                import json
                import oss2
                def handler(event, context):
                    evt = json.loads(event)
                    creds = context.credentials
                    # do not forget security_token
                    auth = oss2.StsAuth(creds.access_key_id, creds.access_key_secret, creds.security_token)
                    bucket = oss2.Bucket(auth, evt['endpoint'], evt['bucket'])
                    bucket.put_object(evt['objectName'], evt['message'])
                    return 'success'
                """);

        JsonNode answer = invoke(id, "POST", "{}").expect(500).json();

        assertThat(answer.get("error").asString()).isEqualTo("ModuleNotFoundError: No module named 'oss2'");
    }

    @Test
    void example3CannotStartAProcessInTheSandbox() {
        String id = functions.deploy("""
                import os
                import subprocess
                def handler(event, context):
                    ret = subprocess.check_output(['ls', "-l"])
                    return ret
                """);

        JsonNode answer = invoke(id, "GET", null).expect(500).json();

        assertThat(answer.get("success").asBoolean()).isFalse();
        assertThat(answer.get("error").asString())
                .isEqualTo("PermissionError: starting a process is not allowed in a CocoCloud function");
    }

    /** Example 4: Use an HTTP trigger to invoke a function (and its "Possible errors"). */
    static final String HTTP_TRIGGER_EXAMPLE = """
            # -*- coding: utf-8 -*-
            import logging
            import json
            import base64
            def handler(event, context):
                logger = logging.getLogger()
                logger.info("receive event: %s", event)
                try:
                    event_json = json.loads(event)
                except:
                    return "The request did not come from an HTTP Trigger because the event is not a json string, event: {}".format(event)
                if "body" not in event_json:
                    return "The request did not come from an HTTP Trigger because the event does not include the 'body' field, event: {}".format(event)
                req_body = event_json['body']
                if 'isBase64Encoded' in event_json and event_json['isBase64Encoded']:
                    req_body = base64.b64decode(event_json['body']).decode("utf-8")
                return {
                    'statusCode': 200,
                    'headers': {'Content-Type': 'text/plain'},
                    'isBase64Encoded': False,
                    'body': req_body
                }
            """;

    @Test
    void example4EchoesTheHttpTriggersBody() {
        String id = functions.deploy(HTTP_TRIGGER_EXAMPLE);

        AdminApi.Response response = invoke(id, "POST", "Hello fc3.0");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain");
        assertThat(response.body()).isEqualTo("Hello fc3.0");
        String executions = functions.functionsPath() + "/" + id + "/executions";
        JsonNode execution = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> functions.owner().get(executions).expect(200).json(), list -> list.size() == 1).get(0);
        assertThat(execution.get("logs").asString()).startsWith("INFO root: receive event: b'{\"version\": \"v1\"")
                .contains("\"rawPath\": \"/functions/" + id + "/invoke/\"", "\"body\": \"Hello fc3.0\"",
                        "\"isBase64Encoded\": false", "\"requestContext\": {");
    }

    @Test
    void example4DecodesABinaryBodySentAsBase64() {
        String id = functions.deploy(HTTP_TRIGGER_EXAMPLE);

        AdminApi.Response response = functions.call("POST", "/functions/" + id + "/invoke/", "Grüße",
                Map.of("Content-Type", "application/octet-stream"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Grüße");
    }

    @Test
    void example4ToldATestEventThatIsNotAnHttpRequestSaysSo() {
        Outcome outcome = testEvent(HTTP_TRIGGER_EXAMPLE, "\"Hello, FC!\"");

        assertThat(new String(outcome.body(), StandardCharsets.UTF_8))
                .startsWith("The request did not come from an HTTP Trigger").contains("Hello, FC!");
    }
}
