package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.EdgeOneExamples;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * The class-handler examples of reference/edgeone-pages-python-functions.txt (the document lost its line breaks
 * and indentation; they are restored and nothing else is changed), each deployed as a single function and called
 * at /functions/{id}/invoke/...: the path after /invoke is the handler's self.path. As site routes they are tested
 * with sites.
 */
@IntegrationTest
class ClassHandlerExamplesTest {

    private static Functions functions;

    @LocalServerPort
    int port;

    @BeforeEach
    void oneProjectForAllExamples() {
        if (functions == null) {
            functions = Functions.inNewProject(port);
        }
    }

    private AdminApi.Response invoke(String id, String method, String pathAndQuery, String body) {
        return functions.call(method, "/functions/" + id + "/invoke" + pathAndQuery, body, Map.of());
    }

    @Test
    void theBasicExampleAnswersItsJsonMessage() {
        String id = functions.deploy(EdgeOneExamples.BASIC_HANDLER_CLASS);

        AdminApi.Response response = invoke(id, "GET", "/", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.json().get("message").asString()).isEqualTo("Hello from Python Functions!");
    }

    @Test
    void theBasicUsageExampleAnswersHelloWorld() {
        String id = functions.deploy(EdgeOneExamples.HELLO_WORLD);

        assertThat(invoke(id, "GET", "/", null).expect(200).body()).isEqualTo("Hello, world!");
    }

    @Test
    void theMultipleMethodsExampleAnswersEachMethod() {
        String id = functions.deploy(EdgeOneExamples.USERS);

        assertThat(invoke(id, "GET", "/", null).expect(200).json().get("users").size()).isZero();
        JsonNode created = invoke(id, "POST", "/", "{\"name\": \"Alice\"}").expect(201).json();
        assertThat(created.get("message").asString()).isEqualTo("Created");
        assertThat(created.get("data").get("name").asString()).isEqualTo("Alice");
        assertThat(invoke(id, "DELETE", "/", null).status()).isEqualTo(204);
    }

    @Test
    void aMethodTheHandlerDoesNotImplementIs501AsTheStandardLibraryAnswers() {
        String id = functions.deploy(EdgeOneExamples.USERS);

        AdminApi.Response response = invoke(id, "PUT", "/", "{}");

        assertThat(response.status()).isEqualTo(501);
        assertThat(response.body()).contains("Unsupported method ('PUT')");
    }

    @Test
    void theDynamicRouteExampleReadsTheIdFromSelfPath() {
        String id = functions.deploy(EdgeOneExamples.USER_BY_ID);

        assertThat(invoke(id, "GET", "/1024", null).expect(200).json().get("user_id").asString()).isEqualTo("1024");
    }

    @Test
    void theQueryParameterExampleParsesSelfPath() {
        String id = functions.deploy(EdgeOneExamples.SEARCH);

        assertThat(invoke(id, "GET", "/?name=Alice&age=25", null).expect(200).json().get("hello").asString())
                .isEqualTo("Alice");
        assertThat(invoke(id, "GET", "/", null).expect(200).json().get("hello").asString()).isEqualTo("Guest");
    }
}
