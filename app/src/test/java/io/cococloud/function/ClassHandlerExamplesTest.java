package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
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
        String id = functions.deploy("""
                # ./cloud-functions/api/hello.py
                from http.server import BaseHTTPRequestHandler
                class handler(BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(200)
                        self.send_header('Content-Type', 'application/json')
                        self.end_headers()
                        self.wfile.write('{"message": "Hello from Python Functions!"}'.encode('utf-8'))
                """);

        AdminApi.Response response = invoke(id, "GET", "/", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.json().get("message").asString()).isEqualTo("Hello from Python Functions!");
    }

    @Test
    void theBasicUsageExampleAnswersHelloWorld() {
        String id = functions.deploy("""
                # ./cloud-functions/api/hello.py
                from http.server import BaseHTTPRequestHandler
                class handler(BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(200)
                        self.send_header('Content-Type', 'text/plain')
                        self.end_headers()
                        self.wfile.write('Hello, world!'.encode('utf-8'))
                """);

        assertThat(invoke(id, "GET", "/", null).expect(200).body()).isEqualTo("Hello, world!");
    }

    private static final String USERS = """
            # ./cloud-functions/api/users/index.py
            from http.server import BaseHTTPRequestHandler
            import json
            class handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header('Content-Type', 'application/json')
                    self.end_headers()
                    self.wfile.write('{"users": []}'.encode('utf-8'))
                def do_POST(self):
                    content_length = int(self.headers.get('Content-Length', 0))
                    body = self.rfile.read(content_length).decode('utf-8')
                    data = json.loads(body) if body else {}
                    self.send_response(201)
                    self.send_header('Content-Type', 'application/json')
                    self.end_headers()
                    self.wfile.write(json.dumps({'message': 'Created', 'data': data}).encode('utf-8'))
                def do_DELETE(self):
                    self.send_response(204)
                    self.end_headers()
            """;

    @Test
    void theMultipleMethodsExampleAnswersEachMethod() {
        String id = functions.deploy(USERS);

        assertThat(invoke(id, "GET", "/", null).expect(200).json().get("users").size()).isZero();
        JsonNode created = invoke(id, "POST", "/", "{\"name\": \"Alice\"}").expect(201).json();
        assertThat(created.get("message").asString()).isEqualTo("Created");
        assertThat(created.get("data").get("name").asString()).isEqualTo("Alice");
        assertThat(invoke(id, "DELETE", "/", null).status()).isEqualTo(204);
    }

    @Test
    void aMethodTheHandlerDoesNotImplementIs501AsTheStandardLibraryAnswers() {
        String id = functions.deploy(USERS);

        AdminApi.Response response = invoke(id, "PUT", "/", "{}");

        assertThat(response.status()).isEqualTo(501);
        assertThat(response.body()).contains("Unsupported method ('PUT')");
    }

    @Test
    void theDynamicRouteExampleReadsTheIdFromSelfPath() {
        String id = functions.deploy("""
                # ./cloud-functions/api/users/[id].py
                from http.server import BaseHTTPRequestHandler
                class handler(BaseHTTPRequestHandler):
                    def do_GET(self):
                        # self.path is the path without the prefix removed
                        user_id = self.path.strip('/')
                        self.send_response(200)
                        self.send_header('Content-Type', 'application/json')
                        self.end_headers()
                        self.wfile.write(f'{{"user_id": "{user_id}"}}'.encode('utf-8'))
                """);

        assertThat(invoke(id, "GET", "/1024", null).expect(200).json().get("user_id").asString()).isEqualTo("1024");
    }

    @Test
    void theQueryParameterExampleParsesSelfPath() {
        String id = functions.deploy("""
                # ./cloud-functions/api/search.py
                from http.server import BaseHTTPRequestHandler
                from urllib.parse import urlparse, parse_qs
                class handler(BaseHTTPRequestHandler):
                    def do_GET(self):
                        # Parse query parameters
                        parsed = urlparse(self.path)
                        query_params = parse_qs(parsed.query)
                        # query_params example: {'name': ['Alice'], 'age': ['25']}
                        name = query_params.get('name', ['Guest'])[0]
                        self.send_response(200)
                        self.send_header('Content-Type', 'application/json')
                        self.end_headers()
                        self.wfile.write(f'{{"hello": "{name}"}}'.encode('utf-8'))
                """);

        assertThat(invoke(id, "GET", "/?name=Alice&age=25", null).expect(200).json().get("hello").asString())
                .isEqualTo("Alice");
        assertThat(invoke(id, "GET", "/", null).expect(200).json().get("hello").asString()).isEqualTo("Guest");
    }
}
