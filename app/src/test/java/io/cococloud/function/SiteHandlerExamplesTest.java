package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * The examples of reference/edgeone-pages-python-functions.txt, verbatim (the document lost its line breaks and
 * indentation; they are restored here and nothing else is changed), deployed as sites at the paths their
 * comments name and called through their site routes.
 *
 * <p>{@code self.path} of a class handler is the path within the site, query included ({@code /api/users/1024}):
 * "the path without the prefix removed", as the document's comment in users/[id].py says. So that example's
 * {@code self.path.strip('/')} is {@code api/users/1024}, and that is what it answers. The Flask and FastAPI
 * examples need third-party packages (issue 12): they deploy, and their calls fail with a clear
 * ModuleNotFoundError.
 */
@IntegrationTest
class SiteHandlerExamplesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    // ---- Getting Started: "Basic Example: Handler Class" ----
    static final String BASIC_HANDLER_CLASS = """
            # ./cloud-functions/api/hello.py
            from http.server import BaseHTTPRequestHandler
            class handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header('Content-Type', 'application/json')
                    self.end_headers()
                    self.wfile.write('{"message": "Hello from Python Functions!"}'.encode('utf-8'))
            """;

    // ---- "Advanced Example: Using the Flask Framework" ----
    static final String FLASK = """
            # ./cloud-functions/api/index.py
            from flask import Flask, jsonify, request
            app = Flask(__name__)
            @app.route('/users', methods=['GET'])
            def get_users():
                return jsonify({'users': [{'id': 1, 'name': 'Alice'},{'id': 2, 'name': 'Bob'}]})
            @app.route('/users', methods=['POST'])
            def create_user():
                data = request.get_json()
                return jsonify({'message': 'User created', 'user': data}), 201
            """;

    // ---- "Advanced Example: Using the FastAPI Framework" ----
    static final String FASTAPI = """
            # ./cloud-functions/api/index.py
            from fastapi import FastAPI
            app = FastAPI()
            @app.get('/items')
            async def list_items():
                return {'items': [{'id': 1, 'name': 'Item A'}, {'id': 2, 'name': 'Item B'}]}
            @app.get('/items/{item_id}')
            async def get_item(item_id: int):
                return {'item_id': item_id, 'name': f'Item {item_id}'}
            @app.post('/items')
            async def create_item(item: dict):
                return {'message': 'Item created', 'item': item}
            """;

    // ---- "Dynamic Routing Parameter Retrieval" ----
    static final String USER_BY_ID = """
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
            """;

    // ---- Function Handlers: "Basic Usage" ----
    static final String HELLO_WORLD = """
            # ./cloud-functions/api/hello.py
            from http.server import BaseHTTPRequestHandler
            class handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header('Content-Type', 'text/plain')
                    self.end_headers()
                    self.wfile.write('Hello, world!'.encode('utf-8'))
            """;

    // ---- "Handling Multiple Request Methods" ----
    static final String USERS = """
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

    // ---- "Query Parameter Retrieval" ----
    static final String SEARCH = """
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
            """;

    private static SiteDeploys handlers;

    @LocalServerPort
    int port;

    @BeforeEach
    void theHandlerClassExamplesDeployedAsOneSite() {
        if (handlers == null) {
            handlers = SiteDeploys.inNewProject(port);
            handlers.deploy(SiteDeploys.files(
                    "cloud-functions/api/hello.py", BASIC_HANDLER_CLASS,
                    "cloud-functions/api/users/index.py", USERS,
                    "cloud-functions/api/users/[id].py", USER_BY_ID,
                    "cloud-functions/api/search.py", SEARCH));
        }
    }

    @Test
    void theHandlerClassFilesAreRoutesOfTheHttpHandlerStyle() {
        JsonNode routes = handlers.owner().get(handlers.sitesPath()).expect(200).json().get("routes");
        assertThat(routes.valueStream().map(r -> r.get("file").asString() + " " + r.get("style").asString()))
                .containsExactlyInAnyOrder("api/hello.py http_handler", "api/users/index.py http_handler",
                        "api/users/[id].py http_handler", "api/search.py http_handler");
    }

    @Test
    void theBasicHandlerClassAnswersItsJson() {
        AdminApi.Response response = handlers.get("/api/hello").expect(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(JSON.readTree(response.body()).get("message").asString()).isEqualTo("Hello from Python Functions!");
    }

    @Test
    void theBasicUsageExampleAnswersPlainText() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(SiteDeploys.files("cloud-functions/api/hello.py", HELLO_WORLD));
        AdminApi.Response response = site.get("/api/hello").expect(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain");
        assertThat(response.body()).isEqualTo("Hello, world!");
    }

    @Test
    void aMethodTheHandlerDoesNotImplementAnswers501AsTheStandardLibraryDoes() {
        handlers.call("PUT", "/api/hello", "{}", Map.of()).expect(501);
    }

    @Test
    void theUsersExampleListsWithGet() {
        AdminApi.Response response = handlers.get("/api/users").expect(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("{\"users\": []}");
    }

    @Test
    void theUsersExampleCreatesWithPostFromTheJsonBody() {
        AdminApi.Response response = handlers.call("POST", "/api/users", "{\"name\": \"Ada\"}",
                Map.of("Content-Type", "application/json")).expect(201);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("{\"message\": \"Created\", \"data\": {\"name\": \"Ada\"}}");
    }

    @Test
    void theUsersExampleDeletesWithAnEmpty204() {
        AdminApi.Response response = handlers.call("DELETE", "/api/users", null, Map.of()).expect(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void theDynamicRouteExampleReadsSelfPathWhichIsTheWholeSitePath() {
        AdminApi.Response response = handlers.get("/api/users/1024").expect(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("{\"user_id\": \"api/users/1024\"}");
    }

    @Test
    void theQueryExampleReadsTheQueryFromSelfPath() {
        assertThat(handlers.get("/api/search?name=Alice&age=25").expect(200).body())
                .isEqualTo("{\"hello\": \"Alice\"}");
        assertThat(handlers.get("/api/search").expect(200).body()).isEqualTo("{\"hello\": \"Guest\"}");
    }

    @Test
    void theFlaskExampleDeploysAndFailsWithAClearModuleNotFoundError() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        JsonNode deployed = site.deploy(SiteDeploys.files("cloud-functions/api/index.py", FLASK));
        assertThat(deployed.get("routes").get(0).get("style").asString()).isEqualTo("wsgi");
        AdminApi.Response response = site.get("/api/users");
        assertThat(response.status()).isGreaterThanOrEqualTo(500);
        assertThat(response.body()).contains("ModuleNotFoundError", "flask");
    }

    @Test
    void theFastApiExampleDeploysAndFailsWithAClearModuleNotFoundError() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(SiteDeploys.files("cloud-functions/api/index.py", FASTAPI));
        AdminApi.Response response = site.get("/api/items");
        assertThat(response.status()).isGreaterThanOrEqualTo(500);
        assertThat(response.body()).contains("ModuleNotFoundError", "fastapi");
    }

    // ---- beyond the document's examples: what a framework app sees of the path ----

    @Test
    void aWsgiAppSeesThePathWithItsFilesRoutePrefixRemoved() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(SiteDeploys.files("cloud-functions/api/index.py", """
                import json
                def application(environ, start_response):
                    start_response('200 OK', [('Content-Type', 'application/json')])
                    return [json.dumps({'script_name': environ['SCRIPT_NAME'],
                                        'path_info': environ['PATH_INFO']}).encode()]
                """));
        JsonNode users = JSON.readTree(site.get("/api/users").expect(200).body());
        assertThat(users.get("path_info").asString()).isEqualTo("/users");
        assertThat(users.get("script_name").asString()).isEqualTo("/p/" + site.projectId() + "/api");
        // every path under the app's prefix reaches the app
        JsonNode deep = JSON.readTree(site.get("/api/users/7/orders").expect(200).body());
        assertThat(deep.get("path_info").asString()).isEqualTo("/users/7/orders");
    }
}
