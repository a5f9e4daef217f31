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
import io.cococloud.support.FcHttpExamples;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * The WSGI examples of reference/alibaba-fc-http-handlers.txt, verbatim, deployed through the admin API and
 * called at /functions/{id}/invoke/..., with the document's limits (docs/functions.md). The Flask example deploys
 * and fails with a clear ModuleNotFoundError until packages can be bundled.
 */
@IntegrationTest
class FcHttpReferenceExamplesTest {

    private static Functions functions;

    @LocalServerPort
    int port;

    @BeforeEach
    void oneProjectForAllExamples() {
        if (functions == null) {
            functions = Functions.inNewProject(port);
        }
    }

    private AdminApi.Response invoke(String id, String method, String pathAndQuery, String body,
            Map<String, String> headers) {
        return functions.call(method, "/functions/" + id + "/invoke" + pathAndQuery, body, headers);
    }

    @Test
    void theSignatureExampleAnswersItsHtml() {
        String id = functions.deploy("""
                def handler(environ, start_response):
                    start_response('200 OK', [('Content-Type', 'text/html')])
                    return [b'<h1>Hello, world!</h1>']
                """);

        AdminApi.Response response = invoke(id, "GET", "/", null, Map.of());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/html");
        assertThat(response.body()).isEqualTo("<h1>Hello, world!</h1>");
    }

    @Test
    void theFlaskExampleDeploysAndFailsWithAClearModuleNotFoundError() {
        String id = functions.deploy(FcHttpExamples.FLASK);

        JsonNode answer = invoke(id, "GET", "/", null, Map.of()).expect(500).json();

        assertThat(answer.get("error").asString()).isEqualTo("ModuleNotFoundError: No module named 'flask'");
    }

    @Test
    void theRequestStructExampleReadsTheEnvironAndAnswersHelloWorld() {
        String id = functions.deploy("""
                # Method 1: User provide the function. FC call the function to process request and send back response.

                HELLO_WORLD = b"Hello world!\\n"

                def handler(environ, start_response):
                    context = environ['fc.context']
                    request_uri = environ['fc.request_uri']
                    for k, v in environ.items():
                        if k.startswith("HTTP_"):
                            # process custom request headers
                            pass

                    # get request_body
                    try:
                        request_body_size = int(environ.get('CONTENT_LENGTH', 0))
                    except (ValueError):
                        request_body_size = 0
                    request_body = environ['wsgi.input'].read(request_body_size)

                    # get request_method
                    request_method = environ['REQUEST_METHOD']

                    # get path info
                    path_info = environ['PATH_INFO']

                    # get server_protocol
                    server_protocol = environ['SERVER_PROTOCOL']

                    # get content_type
                    try:
                        content_type = environ['CONTENT_TYPE']
                    except (KeyError):
                        content_type = " "

                    # get query_string
                    try:
                        query_string = environ['QUERY_STRING']
                    except (KeyError):
                        query_string = " "

                    print ('request_body: {}'.format(request_body))
                    print ('method: {}\\n path: {}\\n  query_string: {}\\n server_protocol: {}\\n'.format(request_method, path_info,  query_string, server_protocol))
                    # do something here

                    status = '200 OK'
                    response_headers = [('Content-type', 'text/plain')]
                    start_response(status, response_headers)
                    # return value must be iterable
                    return [HELLO_WORLD]
                """);

        AdminApi.Response response = invoke(id, "POST", "/orders/7?expand=1", "{\"n\": 1}",
                Map.of("x-Custom-key", "value"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain");
        assertThat(response.body()).isEqualTo("Hello world!\n");
        String executions = functions.functionsPath() + "/" + id + "/executions";
        JsonNode execution = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> functions.owner().get(executions).expect(200).json(), list -> list.size() == 1).get(0);
        assertThat(execution.get("output").asString()).isEqualTo("request_body: b'{\"n\": 1}'\n"
                + "method: POST\n path: /orders/7\n  query_string: expand=1\n server_protocol: HTTP/1.1\n\n");
    }

    @Test
    void environHoldsEveryPep3333KeyAndTheHeadersAsTheDocumentDescribes() {
        String id = functions.deploy("""
                def handler(environ, start_response):
                    keys = ['REQUEST_METHOD', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING', 'CONTENT_TYPE', 'CONTENT_LENGTH',
                            'SERVER_NAME', 'SERVER_PORT', 'SERVER_PROTOCOL', 'REMOTE_ADDR', 'HTTP_X_CUSTOM_KEY',
                            'wsgi.url_scheme', 'wsgi.multithread', 'wsgi.multiprocess', 'wsgi.run_once']
                    start_response('200 OK', [('Content-Type', 'text/plain')])
                    return ['\\n'.join(f'{k}={environ[k]}' for k in keys).encode(),
                            f"\\nversion={environ['wsgi.version']} request_id={environ['fc.context'].request_id}".encode()]
                """);

        AdminApi.Response response = invoke(id, "PUT", "/a/b?x=1&y=2", "abc",
                Map.of("Content-Type", "text/csv", "x-Custom-key", "value"));

        String prefix = "/functions/" + id + "/invoke";
        assertThat(response.body()).startsWith(String.join("\n", "REQUEST_METHOD=PUT", "SCRIPT_NAME=" + prefix,
                "PATH_INFO=/a/b", "QUERY_STRING=x=1&y=2", "CONTENT_TYPE=text/csv", "CONTENT_LENGTH=3",
                "SERVER_NAME=localhost", "SERVER_PORT=" + port, "SERVER_PROTOCOL=HTTP/1.1", "REMOTE_ADDR=127.0.0.1",
                "HTTP_X_CUSTOM_KEY=value", "wsgi.url_scheme=http", "wsgi.multithread=False",
                "wsgi.multiprocess=False", "wsgi.run_once=False", "version=(1, 0) request_id="));
        assertThat(response.body()).as("fc.context's request_id is the execution's id").doesNotEndWith("=None")
                .containsPattern("request_id=[0-9a-f-]{16,}$");
    }

    @Test
    void responseHeadersOver8KbAre502BadResponse() {
        String id = functions.deploy("""
                def handler(environ, start_response):
                    start_response('200 OK', [('X-Big', 'x' * 9000)])
                    return [b'too big']
                """);

        JsonNode answer = invoke(id, "GET", "/", null, Map.of()).expect(502).json();

        assertThat(answer.get("error").asString()).isEqualTo("BadResponse");
    }

    @Test
    void aBodyThatIsNotBytesIs502BadResponseNamingIt() {
        String id = functions.deploy("""
                def handler(environ, start_response):
                    start_response('200 OK', [])
                    return ['text, not bytes']
                """);

        JsonNode answer = invoke(id, "GET", "/", null, Map.of()).expect(502).json();

        assertThat(answer.get("message").asString()).contains("body chunk of type str");
    }

    @Test
    void requestHeadersOver8KbAre400InvalidArgument() {
        String id = functions.deploy("""
                def handler(environ, start_response):
                    start_response('200 OK', [])
                    return [b'never']
                """);

        JsonNode answer = invoke(id, "GET", "/", null, Map.of("X-Big", "x".repeat(9000))).expect(400).json();

        assertThat(answer.get("error").asString()).isEqualTo("InvalidArgument");
    }
}
