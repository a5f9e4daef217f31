package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * The handle(req) examples of reference/altair-iot-python-template.txt, verbatim, deployed through the admin API
 * and called at /functions/{id}/invoke/..., the URL the document's req.path describes. Examples needing packages
 * CocoCloud does not bundle yet (paho-mqtt, iots) deploy and fail with a clear ModuleNotFoundError.
 */
@IntegrationTest
class AltairReferenceExamplesTest {

    private static Functions functions;

    @LocalServerPort
    int port;

    @BeforeEach
    void oneProjectForAllExamples() {
        if (functions == null) {
            functions = Functions.inNewProject(port);
        }
    }

    private AdminApi.Response invoke(String id, String method, String path, String body) {
        return functions.call(method, "/functions/" + id + "/invoke" + path, body, Map.of("Content-Type", "text/plain"));
    }

    private JsonNode execution(String id) {
        String executions = functions.functionsPath() + "/" + id + "/executions";
        return Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> functions.owner().get(executions).expect(200).json(), list -> list.size() == 1).get(0);
    }

    @Test
    void theSkeletonEchoesTheRequestPayload() {
        String id = functions.deploy("""
                def handle(req):
                    \"""
                    This function defines the logic of the HTTP request handler.
                   \s
                    This example echoes the HTTP request payload by returning a response with
                    status code 200 and the same payload used in the request.
                    \"""
                    return {
                        "status_code": 200,
                        "body": req.body.decode('utf-8')
                    }
                """);

        AdminApi.Response response = invoke(id, "POST", "/echo", "Hello, handle!");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello, handle!");
        assertThat(response.header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void theShortSkeletonEchoesToo() {
        String id = functions.deploy("""
                def handle(req):
                    return {
                        "status_code": 200,
                        "body": req.body.decode('utf-8')
                    }
                """);

        assertThat(invoke(id, "PUT", "/", "echo").expect(200).body()).isEqualTo("echo");
    }

    @Test
    void theAsyncHandlerAwaitsOnTheEventLoop() {
        String id = functions.deploy("""
                import asyncio

                async def handle(req):
                    \"""
                    This function defines the logic of the HTTP request handler.
                   \s
                    This example echoes the HTTP request payload by returning a response with
                    status code 200 and the same payload used in the request.
                   \s
                    This code runs using the asyncio module, so it can make use of coroutines
                    to improve performance when using I/O operations (such as HTTP requests).
                    \"""
                    await asyncio.sleep(1)
                    return {
                        "status_code": 200,
                        "body": f"Asynchronous response: {req.body.decode('utf-8')}"
                    }
                """);

        assertThat(invoke(id, "POST", "/", "ping").expect(200).body()).isEqualTo("Asynchronous response: ping");
    }

    @Test
    void theSecretsExampleRunsAndAnswersAnEmpty200() {
        String id = functions.deploy("""
                import function.secrets as secrets\s

                def handle(req):
                   # ...\s
                    if secrets.exists("my_password"):
                        my_secret = secrets.get("my_password")\s
                          # ...
                    # ...\s
                """);

        AdminApi.Response response = invoke(id, "GET", "/", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void theAdderSumsACommaSeparatedList() {
        String id = functions.deploy("""
                def handle(req):\s
                     # Gets function input\s
                     body = req.body.decode("utf-8")\s

                     # Parses input as a comma-separated list of numbers\s
                     numbers = body.split(',')\s
                \s
                     try:\s
                        # Tries to convert all values to numbers\s
                        numbers = [float(i) for i in numbers]\s
                        response_msg = sum(numbers)\s
                        status_code = 200\s
                     except Exception:\s
                        # Throws an error if something is not a number\s
                        response_msg = "Invalid input format!"\s
                        status_code = 400\s

                     return {\s
                         "status_code": status_code,\s
                         "body": response_msg,\s
                }\s
                """);

        assertThat(invoke(id, "POST", "/", "1,2,3.5").expect(200).body()).isEqualTo("6.5");
        assertThat(invoke(id, "POST", "/", "1,two").expect(400).body()).isEqualTo("Invalid input format!");
    }

    @Test
    void stderrAndLoggingWithItsLevelAreTheExecutionsLogLines() {
        // The document's two logging snippets are module-level code; a handle(req) makes them a function.
        String id = functions.deploy("""
                import sys
                sys.stderr.write("My log entry!\\n")

                import logging
                log = logging.getLogger("my_logger")
                log.setLevel(logging.INFO)
                log.error("ERROR")
                log.info("INFO")
                log.debug("DEBUG")  # This line wont' be logged because Logging Level is INFO

                def handle(req):
                    pass
                """);

        invoke(id, "GET", "/", null).expect(200);

        assertThat(execution(id).get("logs").asString())
                .isEqualTo("My log entry!\nERROR my_logger: ERROR\nINFO my_logger: INFO\n");
    }

    @Test
    void theMqttPublisherDeploysAndFailsWithAClearModuleNotFoundError() {
        String id = functions.deploy("""
                import paho.mqtt.client as mqtt

                MQTT_BROKER = "test.mosquitto.org"
                MQTT_PORT = 1883


                def handle(req):
                    body = req.body.decode('utf-8')

                    client = mqtt.Client()
                    client.connect(MQTT_BROKER, MQTT_PORT)
                    msg_info = client.publish("functions/python", body, qos=0)
                    msg_info.wait_for_publish()

                    return {
                        "status_code": 200,
                        "body": "Message published!"
                    }
                """);

        JsonNode answer = invoke(id, "POST", "/", "hello").expect(500).json();

        assertThat(answer.get("error").asString()).isEqualTo("ModuleNotFoundError: No module named 'paho'");
    }

    @Test
    void theThingPropertyUpdateDeploysAndFailsWithAClearModuleNotFoundError() {
        String id = functions.deploy("""
                from iots import API
                from function import variables

                SPACE = "enter-your-space-ID"
                THING_UID = "enter-thing-UID"

                my_scopes = ["thing.update"]

                def handle(req):\s

                  if variables.exists("my_client_id"):
                    my_client_id = variables.get("my_client_id")

                  if variables.exists("my_client_secret"):
                    my_client_secret = variables.get("my_client_secret")

                  with API().set_credentials(my_client_id, my_client_secret, my_scopes) as api:
                    response = api.spaces(SPACE).things(THING_UID).properties("temperature").update(27)

                  return {\s
                    "status_code": 200,\s
                    "body": "Property updated!"\s
                  }
                """);

        JsonNode answer = invoke(id, "POST", "/", "").expect(500).json();

        assertThat(answer.get("error").asString()).isEqualTo("ModuleNotFoundError: No module named 'iots'");
    }

    @Test
    void variablesAndSecretsOfferExistsAndGet() {
        String variables = functions.functionsPath().replace("/functions", "/variables");
        functions.owner().put(variables + "/my_client_id", Map.of("value", "client-1")).expect(201);
        String id = functions.deploy("""
                import function.secrets as secrets
                from function import variables

                def handle(req):
                    return {"body": {"id_exists": variables.exists("my_client_id"),
                                     "id": variables.get("my_client_id"),
                                     "secret_exists": variables.exists("my_client_secret"),
                                     "password_exists": secrets.exists("my_password"),
                                     "password": secrets.get("my_password")}}
                """);

        JsonNode body = invoke(id, "GET", "/", null).expect(200).json();

        assertThat(body.get("id_exists").asBoolean()).isTrue();
        assertThat(body.get("id").asString()).isEqualTo("client-1");
        assertThat(body.get("secret_exists").asBoolean()).isFalse();
        assertThat(body.get("password_exists").asBoolean()).isFalse();
        assertThat(body.get("password").asString()).isEmpty();
    }
}
