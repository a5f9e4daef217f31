package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** The public URLs of a main() function and the responses of docs/functions.md#responses and #limits. */
@IntegrationTest
class ExecutionUrlTest {

    @LocalServerPort
    int port;

    Functions functions;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
    }

    @Test
    void everyMethodReachesMainWithItsRequest() {
        String echo = functions.deploy("def main():\n    return {'method': request.method, 'path': request.path,"
                + " 'name': request.get('name'), 'q': request.query_params.get('q')}\n");
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
            AdminApi.Response response = functions.call(method, "/functions/" + echo + "/execute?q=1&name=query",
                    method.equals("GET") ? null : Map.of("name", "body"), Map.of()).expect(200);
            assertThat(response.json().get("result").get("method").asString()).isEqualTo(method);
            assertThat(response.json().get("result").get("name").asString())
                    .isEqualTo(method.equals("GET") ? "query" : "body");
            assertThat(response.json().get("result").get("q").asString()).isEqualTo("1");
            assertThat(response.header("X-Execution-Id")).isNotBlank();
        }
    }

    @Test
    void theEnvelopeHasTheDocumentedFields() {
        String hello = functions.deploy("def main():\n    print('working')\n    return {'ok': True}\n");
        AdminApi.Response response = functions.get(hello, "").expect(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().propertyNames()).containsExactly("success", "result", "output", "error",
                "execution_time");
        assertThat(response.json().get("success").asBoolean()).isTrue();
        assertThat(response.json().get("output").asString()).isEqualTo("working\n");
        assertThat(response.json().get("error").isNull()).isTrue();
        assertThat(response.json().get("execution_time").asDouble()).isPositive().isLessThan(5);
    }

    @Test
    void aTupleWithABooleanIsAValueNotABodyAndStatus() {
        String pair = functions.deploy("def main():\n    return 'x', True\n");
        AdminApi.Response response = functions.get(pair, "").expect(200);
        assertThat(response.json().get("result").toString()).isEqualTo("[\"x\",true]");
    }

    @Test
    void aPlainDefThatAwaitsRunsAsTheAsyncDefItMeans() {
        String awaiting = functions.deploy("async def seven():\n    return 7\n\n"
                + "def main():\n    return await seven()\n");
        assertThat(functions.get(awaiting, "").expect(200).json().get("result").asInt()).isEqualTo(7);
    }

    @Test
    void invokeUrlsGiveThePathAfterInvoke() {
        String echo = functions.deploy("def main():\n    return request.path\n");
        assertThat(functions.call("GET", "/functions/" + echo + "/invoke/users/42", null, Map.of()).expect(200)
                .json().get("result").asString()).isEqualTo("/users/42");
        assertThat(functions.call("GET", "/functions/" + echo + "/invoke", null, Map.of()).expect(200)
                .json().get("result").asString()).isEqualTo("/");
    }

    @Test
    void theSdkUrlFindsTheFunctionByProjectAndNameAndUnwrapsThePayload() {
        functions.deploy("def main():\n    return {'got': request.json(), 'name': request.get('name')}\n",
                Map.of("name", "greet"));
        String slug = functions.owner().get(AdminApi.API + "/projects/" + functions.projectId()).json().get("slug")
                .asString();
        for (String ref : List.of(functions.projectId(), slug)) {
            AdminApi.Response response = functions.call("POST", "/functions/" + ref + "/func/greet",
                    Map.of("payload", Map.of("name", "Ada")), Map.of()).expect(200);
            assertThat(response.json().get("result").get("name").asString()).isEqualTo("Ada");
            assertThat(response.json().get("result").get("got").get("name").asString()).isEqualTo("Ada");
        }
    }

    @Test
    void formBodiesAndMultipartFieldsReachRequestGet() {
        String echo = functions.deploy("def main():\n    files = request.files\n"
                + "    return {'name': request.get('name'), 'file': files['doc'].filename if files else None,"
                + " 'size': len(files['doc'].data) if files else 0}\n");
        AdminApi.Response form = functions.call("POST", "/functions/" + echo + "/execute", "name=Ada+L",
                Map.of("Content-Type", "application/x-www-form-urlencoded")).expect(200);
        assertThat(form.json().get("result").get("name").asString()).isEqualTo("Ada L");
        String multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nGrace\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n";
        AdminApi.Response upload = functions.call("POST", "/functions/" + echo + "/execute", multipart,
                Map.of("Content-Type", "multipart/form-data; boundary=XyZ")).expect(200);
        assertThat(upload.json().get("result").get("name").asString()).isEqualTo("Grace");
        assertThat(upload.json().get("result").get("file").asString()).isEqualTo("a.txt");
        assertThat(upload.json().get("result").get("size").asInt()).isEqualTo(5);
    }

    @Test
    void aFormBodyReachesTheFunctionWholeWhateverTheMethod() {
        String echo = functions.deploy("def main():\n    return {'name': request.get('name'), 'method': request.method,"
                + " 'body': request.body.decode() if isinstance(request.body, bytes) else request.body}\n");
        for (String url : List.of("/functions/" + echo + "/execute", "/functions/" + echo + "/invoke/users/7")) {
            for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
                AdminApi.Response form = functions.call(method, url, "name=Ada+L",
                        Map.of("Content-Type", "application/x-www-form-urlencoded")).expect(200);
                JsonNode result = form.json().get("result");
                assertThat(result.get("method").asString()).isEqualTo(method);
                assertThat(result.get("name").asString()).as(method + " " + url).isEqualTo("Ada L");
                assertThat(result.get("body").asString()).as(method + " " + url).isEqualTo("name=Ada+L");
            }
        }
    }

    @Test
    void anUnknownFunctionIs404InTheEnvelope() {
        AdminApi.Response response = functions.get("00000000-0000-0000-0000-000000000000", "").expect(404);
        assertThat(response.json().get("error").asString()).isEqualTo("Function not found");
        functions.get("not-a-uuid", "").expect(404);
    }

    @Test
    void aRaisedErrorIs500WithTypeAndMessageAndTheTracebackInTheLog() {
        String failing = functions.deploy("def main():\n    print('before')\n    raise ValueError('bad input')\n");
        AdminApi.Response response = functions.get(failing, "").expect(500);
        assertThat(response.json().get("error").asString()).isEqualTo("ValueError: bad input");
        assertThat(response.json().get("output").asString()).isEqualTo("before\n");
        assertThat(response.json().get("result").isNull()).isTrue();
    }

    @Test
    void aLongCallIs504AfterItsTimeout() {
        String slow = functions.deploy("def main():\n    time.sleep(5)\n", Map.of("timeout_s", 1));
        long started = System.nanoTime();
        AdminApi.Response response = functions.get(slow, "").expect(504);
        assertThat(response.json().get("error").asString()).isEqualTo("Function timed out after 1 s");
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(4);
    }

    @Test
    void asyncMainRunsWithAndWithoutAsyncio() {
        String plain = functions.deploy("async def main():\n    return await render.render_html('<b>{{ x }}</b>',"
                + " {'x': 'hi'})\n");
        assertThat(functions.get(plain, "").expect(200).body()).isEqualTo("<b>hi</b>");
        String withLoop = functions.deploy("import asyncio\nasync def main():\n"
                + "    a, b = await asyncio.gather(asyncio.sleep(0.01, result=1), asyncio.sleep(0.02, result=2))\n"
                + "    return a + b\n");
        assertThat(functions.get(withLoop, "").expect(200).json().get("result").asInt()).isEqualTo(3);
    }

    @Test
    void renderHtmlEscapesDataAndDoesNotInterpretIt() {
        String page = functions.deploy("def main():\n    return render.render_html('<p>{{ a }}</p><p>{{ b }}</p>',"
                + " {'a': '<script>x</script>', 'b': '{{ 7*7 }}'}, 201)\n");
        AdminApi.Response response = functions.get(page, "").expect(201);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.body()).isEqualTo("<p>&lt;script&gt;x&lt;/script&gt;</p><p>{{ 7*7 }}</p>");
    }

    @Test
    void redirectsAndCustomResponsesAreSentRaw() {
        String redirect = functions.deploy("def main():\n    return render.redirect('https://example.com/next')\n");
        AdminApi.Response moved = functions.get(redirect, "").expect(302);
        assertThat(moved.header("Location")).isEqualTo("https://example.com/next");
        String csv = functions.deploy("def main():\n    return render.response('a,b\\n1,2\\n', 200,"
                + " {'X-Kind': 'report'}, 'text/csv')\n");
        AdminApi.Response response = functions.get(csv, "").expect(200);
        assertThat(response.header("Content-Type")).startsWith("text/csv");
        assertThat(response.header("X-Kind")).isEqualTo("report");
        assertThat(response.body()).isEqualTo("a,b\n1,2\n");
    }

    @Test
    void valuesJsonCannotHoldAreConverted() {
        String values = functions.deploy("import datetime as dt\ndef main():\n"
                + "    return {'when': dt.date(2024, 1, 2), 'tags': {'a'}, 'raw': b'hi', 'pair': (1, 2)}\n");
        AdminApi.Response response = functions.get(values, "").expect(200);
        assertThat(response.json().get("result").get("when").asString()).isEqualTo("2024-01-02");
        assertThat(response.json().get("result").get("tags").get(0).asString()).isEqualTo("a");
        assertThat(response.json().get("result").get("raw").asString()).isEqualTo("aGk=");
        assertThat(response.json().get("result").get("pair").size()).isEqualTo(2);
    }

    @Test
    void responseHeadersOver8KbAre502BadResponse() {
        String big = functions.deploy("def main():\n    return {'ok': True}, 200, {'X-Big': 'x' * 9000}\n");
        AdminApi.Response response = functions.get(big, "").expect(502);
        assertThat(response.json().get("error").asString()).isEqualTo("BadResponse");
    }

    @Test
    void aStatusOutsideHttpIs502BadResponse() {
        String odd = functions.deploy("def main():\n    return {'ok': True}, 99\n");
        assertThat(functions.get(odd, "").expect(502).json().get("message").asString()).contains("99");
    }

    @Test
    void requestLimitsAnswerInvalidArgument() {
        String hello = functions.deploy("def main():\n    return 'hi'\n");
        AdminApi.Response longUrl = functions.get(hello, "q=" + "x".repeat(5000)).expect(400);
        assertThat(longUrl.json().get("error").asString()).isEqualTo("InvalidArgument");
        AdminApi.Response bigHeaders = functions.call("GET", "/functions/" + hello + "/execute", null,
                Map.of("X-Pad", "y".repeat(9000))).expect(400);
        assertThat(bigHeaders.json().get("error").asString()).isEqualTo("InvalidArgument");
        AdminApi.Response bigBody = functions.call("POST", "/functions/" + hello + "/execute",
                "z".repeat(33 * 1024 * 1024), Map.of("Content-Type", "text/plain")).expect(400);
        assertThat(bigBody.json().get("message").asString()).contains("limit");
    }

    @Test
    void requireAuthRefusesCallsWithoutAnAppUserTokenBeforeAnyPythonRuns() {
        String guarded = functions.deploy("def main():\n    print('ran')\n    return 'secret'\n",
                Map.of("require_auth", true));
        AdminApi.Response anonymous = functions.get(guarded, "").expect(401);
        assertThat(anonymous.json().get("output").asString()).isEmpty();
        functions.call("GET", "/functions/" + guarded + "/execute", null,
                Map.of("Authorization", "Bearer not-a-session")).expect(401);
    }

    @Test
    void aDisabledFunctionIs403() {
        String off = functions.deploy("def main():\n    return 'x'\n", Map.of("enabled", false));
        functions.get(off, "").expect(403);
    }

    @Test
    void fiftyParallelCallsGetTheirOwnRequest() throws Exception {
        String echo = functions.deploy("def main():\n    n = request.get('n')\n    time.sleep(0.01)\n"
                + "    return {'n': n, 'same': request.get('n') == n}\n");
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<AdminApi.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                calls.add(CompletableFuture.supplyAsync(() -> functions.get(echo, "n=" + n), pool));
            }
            for (int i = 0; i < 50; i++) {
                AdminApi.Response response = calls.get(i).get().expect(200);
                assertThat(response.json().get("result").get("n").asString()).isEqualTo(String.valueOf(i));
                assertThat(response.json().get("result").get("same").asBoolean()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aChunkedBodyReachesTheFunctionWhole() throws Exception {
        String echo = functions.deploy("import hashlib\ndef main():\n"
                + "    return {'length': len(request.body), 'sha256': hashlib.sha256(request.body).hexdigest()}\n");
        byte[] body = new byte[70_000]; // more than one read buffer, and a first byte read on its own
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        // ofInputStream announces no length: the body arrives chunked
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/functions/" + echo
                + "/execute")).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = JsonMapper.builder().build().readTree(response.body()).get("result");
        assertThat(result.get("length").asInt()).isEqualTo(body.length);
        assertThat(result.get("sha256").asString())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    }

    @Test
    void aCallWithoutABodyHasAnEmptyOne() {
        String echo = functions.deploy("def main():\n    return {'body': request.body.decode(), 'json': request.json()}\n");

        AdminApi.Response response = functions.get(echo, null).expect(200);

        assertThat(response.json().get("result").get("body").asString()).isEmpty();
        assertThat(response.json().get("result").get("json").isEmpty()).isTrue();
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedInTheExecutionEnvelope() throws Exception {
        String echo = functions.deploy("def main():\n    return len(request.body)\n");
        long over = 32L * 1024 * 1024 + 1;
        // ofInputStream announces no length: the body arrives chunked, so only reading it finds it too large
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/functions/" + echo
                + "/execute")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[(int) over])))
                .build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        // as for a body that announces its too large length (RequestLimitsFilter): the execution URL's envelope
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode answer = JsonMapper.builder().build().readTree(response.body());
        assertThat(answer.get("error").asString()).isEqualTo("InvalidArgument");
        assertThat(answer.get("message").asString()).contains(String.valueOf(32L * 1024 * 1024));
    }
}
