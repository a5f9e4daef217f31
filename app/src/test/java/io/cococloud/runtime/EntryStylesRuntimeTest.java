package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime itself (PythonRuntime, no HTTP): every entry style's adapter, multi-file functions with their own
 * module namespace per version, tracebacks of the user's own lines, and the deploy-time check.
 */
class EntryStylesRuntimeTest {

    static PythonRuntime runtime;
    /** One context for the project: every function below shares it, one call at a time, as in production. */
    static final UUID PROJECT = UUID.randomUUID();

    @BeforeAll
    static void start() {
        runtime = StandaloneRuntimes.start();
    }

    @AfterAll
    static void stop() {
        runtime.destroy();
    }

    private static FunctionCode code(String style, String entryFile, String entryName, Map<String, String> files) {
        return new FunctionCode(PROJECT, UUID.randomUUID(), "f", 1, style, entryFile, entryName, files,
                Duration.ofSeconds(10));
    }

    private static Invocation call(FunctionCode function, String method, String path, String query, String body,
            List<Map.Entry<String, String>> headers) {
        return new Invocation(function, "req-1", method, "/functions/x/invoke", "", path, query, headers,
                query.isEmpty() ? List.of() : List.of(Map.entry(query.split("=")[0], query.split("=")[1])),
                body.getBytes(StandardCharsets.UTF_8), Map.of(), null, Invocation.Peer.LOCAL, null);
    }

    private static String text(Outcome outcome) {
        return new String(outcome.body(), StandardCharsets.UTF_8);
    }

    @Test
    void helperModulesAndPackagesImportAsInAnyPythonProject() {
        FunctionCode function = code("main", "index.py", "main", Map.of(
                "index.py", "import helpers\nfrom lib.util import shout\n"
                        + "def main():\n    return [helpers.NAME, shout('hi'), __name__, __file__]\n",
                "helpers.py", "NAME = 'helpers of A'\n",
                "lib/__init__.py", "",
                "lib/util.py", "from .words import suffix\ndef shout(word):\n    return word.upper() + suffix()\n",
                "lib/words.py", "def suffix():\n    return '!'\n"));

        Outcome outcome = runtime.run(Invocation.of(function, "GET", "/", List.of(), List.of(), new byte[0], null));

        assertThat(outcome.resultJson()).isEqualTo("[\"helpers of A\",\"HI!\",\"index\",\"/code/index.py\"]");
    }

    @Test
    void aResultJsonCannotHoldIsConvertedAsTheContractSays() {
        FunctionCode function = code("main", "index.py", "main", Map.of("index.py", """
                def main():
                    return {"bytes": b"\\x00\\x01\\xff", "at": datetime(2026, 1, 2, 3, 4, 5),
                            "tags": {"only"}, "pair": (1, 2), "other": complex(1, 2)}
                """));

        Outcome outcome = runtime.run(Invocation.of(function, "GET", "/", List.of(), List.of(), new byte[0], null));

        assertThat(outcome.resultJson()).isEqualTo("{\"bytes\":\"AAH/\",\"at\":\"2026-01-02T03:04:05\","
                + "\"tags\":[\"only\"],\"pair\":[1,2],\"other\":\"(1+2j)\"}");
    }

    @Test
    void thePreloadedModulesImportedOnFirstUseAreTheModulesThemselves() {
        FunctionCode function = code("main", "index.py", "main", Map.of("index.py", """
                def main():
                    used = [base64.b64encode(b"hi").decode(), string.digits, re.sub(r"\\d", "#", "a1"),
                            json.dumps({"a": 1}), isinstance({}, collections.abc.Mapping),
                            functools.reduce(lambda a, b: a + b, [1, 2, 3])]
                    import base64 as imported_base64, string as imported_string, json as imported_json
                    return used + [base64.b64decode is imported_base64.b64decode,
                                   string.Template is imported_string.Template, json.loads is imported_json.loads]
                """));

        Outcome outcome = runtime.run(Invocation.of(function, "GET", "/", List.of(), List.of(), new byte[0], null));

        assertThat(outcome.resultJson())
                .isEqualTo("[\"aGk=\",\"0123456789\",\"a#\",\"{\\\"a\\\": 1}\",true,6,true,true,true]");
    }

    @Test
    void aNewContextImportsNoneOfTheModulesOnlyFunctionsUse() {
        // json and re (with enum), linecache (tokenize), functools and collections were a third of a new context's
        // imports: a restart's first context spent ~0.5 s of CPU on them (issue 15)
        FunctionCode function = new FunctionCode(UUID.randomUUID(), UUID.randomUUID(), "f", 1, "main", "index.py",
                "main", Map.of("index.py", """
                        import sys
                        def main():
                            return [name for name in ("json", "re", "enum", "linecache", "tokenize", "functools",
                                                      "collections") if name in sys.modules]
                        """), Duration.ofSeconds(10));

        Outcome outcome = runtime.run(Invocation.of(function, "GET", "/", List.of(), List.of(), new byte[0], null));

        assertThat(outcome.resultJson()).isEqualTo("[]");
    }

    @Test
    void aTracebackTheFunctionFormatsItselfShowsItsOwnLines() {
        FunctionCode function = new FunctionCode(UUID.randomUUID(), UUID.randomUUID(), "f", 1, "main", "index.py",
                "main", Map.of("index.py", """
                        import traceback
                        def main():
                            try:
                                return 1 / 0
                            except ZeroDivisionError:
                                return traceback.format_exc()
                        """), Duration.ofSeconds(10));

        Outcome outcome = runtime.run(Invocation.of(function, "GET", "/", List.of(), List.of(), new byte[0], null));

        assertThat(outcome.resultJson()).contains("File \\\"/code/index.py\\\", line 4, in main")
                .contains("return 1 / 0").contains("ZeroDivisionError: division by zero");
    }

    @Test
    void aRequestBodyIsReadAsJsonLoadsReadsIt() {
        FunctionCode function = code("main", "index.py", "main", Map.of("index.py", """
                def main():
                    return [request.json()]
                """));
        String utf16 = "{\"in\": \"UTF-16\"}";

        assertThat(runtime.run(call(function, "POST", "/", "", "{\"a\": [1, 2.5, \"\u00e9\", null, true]}\r\n ",
                List.of())).resultJson()).isEqualTo("[{\"a\":[1,2.5,\"\u00e9\",null,true]}]");
        assertThat(runtime.run(Invocation.of(function, "POST", "/", List.of(), List.of(),
                utf16.getBytes(StandardCharsets.UTF_16), null)).resultJson()).isEqualTo("[{\"in\":\"UTF-16\"}]");
        assertThat(runtime.run(call(function, "POST", "/", "", "[1, 2] 3", List.of())).resultJson())
                .isEqualTo("[{}]");
        assertThat(runtime.run(call(function, "POST", "/", "", "42", List.of())).resultJson()).isEqualTo("[42]");
    }

    @Test
    void twoFunctionsInOneContextNeverSeeEachOthersHelpers() {
        FunctionCode a = code("main", "index.py", "main", Map.of(
                "index.py", "import helpers\ndef main():\n    return helpers.NAME\n", "helpers.py", "NAME = 'A'\n"));
        FunctionCode b = code("main", "index.py", "main", Map.of(
                "index.py", "import helpers\ndef main():\n    return helpers.NAME\n", "helpers.py", "NAME = 'B'\n"));

        for (int round = 0; round < 2; round++) {
            assertThat(runtime.run(Invocation.of(a, "GET", "/", List.of(), List.of(), new byte[0], null))
                    .resultJson()).isEqualTo("\"A\"");
            assertThat(runtime.run(Invocation.of(b, "GET", "/", List.of(), List.of(), new byte[0], null))
                    .resultJson()).isEqualTo("\"B\"");
        }
    }

    @Test
    void aTracebackShowsTheUsersLinesAndNoneOfCocoCloudsFrames() {
        FunctionCode function = code("handle", "index.py", "handle", Map.of(
                "index.py", "from lib import fail\ndef handle(req):\n    return fail(req.path)\n",
                "lib.py", "def fail(path):\n    raise ValueError('bad path ' + path)\n"));

        Outcome outcome = runtime.run(call(function, "GET", "/x", "", "", List.of()));

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.ERROR);
        assertThat(outcome.error()).isEqualTo("ValueError: bad path /x");
        assertThat(outcome.traceback())
                .contains("File \"/code/index.py\", line 3, in handle", "return fail(req.path)",
                        "File \"/code/lib.py\", line 2, in fail", "raise ValueError('bad path ' + path)")
                .doesNotContain("cococloud");
    }

    @Test
    void aHelperThatFailsOnImportShowsOnlyTheUsersFrames() {
        FunctionCode function = code("main", "index.py", "main", Map.of(
                "index.py", "import helpers\ndef main():\n    return 1\n",
                "helpers.py", "SETTING = {}\nVALUE = SETTING['missing']\n"));

        Outcome outcome = runtime.run(Invocation.of(function, "GET", "/", List.of(), List.of(), new byte[0], null));

        assertThat(outcome.error()).isEqualTo("KeyError: 'missing'");
        assertThat(outcome.traceback())
                .contains("File \"/code/index.py\", line 1", "File \"/code/helpers.py\", line 2",
                        "VALUE = SETTING['missing']")
                .doesNotContain("cococloud", "<frozen");
    }

    @Test
    void aWsgiAppMayReplaceItsStatusWithExcInfoAndItsIterableIsClosed() {
        FunctionCode function = code("wsgi", "index.py", "application", Map.of("index.py", """
                import sys
                closed = []
                class Body:
                    def __iter__(self):
                        yield b'partial'
                    def close(self):
                        closed.append(1)
                def application(environ, start_response):
                    if environ['PATH_INFO'] == '/closed':
                        start_response('200 OK', [])
                        return [str(len(closed)).encode()]
                    start_response('200 OK', [('X-First', '1')])
                    try:
                        raise ValueError('boom')
                    except ValueError:
                        start_response('500 Internal Server Error', [('Content-Type', 'text/plain')], sys.exc_info())
                    return Body()
                """));

        Outcome replaced = runtime.run(call(function, "GET", "/", "", "", List.of()));
        Outcome closed = runtime.run(call(function, "GET", "/closed", "", "", List.of()));

        assertThat(replaced.status()).isEqualTo(500);
        assertThat(replaced.headers()).doesNotContainKey("X-First").containsEntry("Content-Type", "text/plain");
        assertThat(text(replaced)).isEqualTo("partial");
        assertThat(text(closed)).isEqualTo("1");
    }

    @Test
    void anEntryInAFolderImportsItsNeighboursAndTheRootsAndSeesItsRouteParameters() {
        FunctionCode function = code("handle", "api/users/[id].py", "show", Map.of(
                "api/users/[id].py", "from names import title\nfrom lib.util import shout\n"
                        + "def show(req):\n    return {'body': shout(title(req.params['id'])) + ' ' + __name__}\n",
                "api/users/names.py", "def title(text):\n    return 'user ' + text\n",
                "lib/util.py", "def shout(text):\n    return text.upper()\n"));
        Invocation invocation = new Invocation(function, "r", "GET", "/p/shop", "/api/users", "/api/users/7", "",
                List.of(), List.of(), new byte[0], Map.of("id", "7"), null, Invocation.Peer.LOCAL, null);

        assertThat(text(runtime.run(invocation))).isEqualTo("USER 7 api.users.[id]");
    }

    @Test
    void aWsgiAppOfASiteRouteGetsThePathWithoutItsRoutePrefix() {
        FunctionCode function = code("wsgi", "api/index.py", "app", Map.of("api/index.py", """
                def app(environ, start_response):
                    start_response('200 OK', [])
                    return [(environ['SCRIPT_NAME'] + ' ' + environ['PATH_INFO']).encode()]
                """));
        Invocation invocation = new Invocation(function, "r", "GET", "/p/shop", "/api", "/api/users", "",
                List.of(), List.of(), new byte[0], Map.of(), null, Invocation.Peer.LOCAL, null);

        assertThat(text(runtime.run(invocation))).isEqualTo("/p/shop/api /users");
    }

    @Test
    void handleGetsTheRequestAndItsDictBecomesTheResponse() {
        FunctionCode function = code("handle", "index.py", "handle", Map.of("index.py", """
                def handle(req):
                    return {"status_code": 201, "headers": {"X-Seen": req.headers.get("x-test")},
                            "body": {"method": req.method, "path": req.path, "q": req.query.getlist("a"),
                                     "body": req.body.decode()}}
                """));

        Outcome outcome = runtime.run(call(function, "POST", "/p", "a=1", "hello", List.of(Map.entry("X-Test", "t"))));

        assertThat(outcome.status()).isEqualTo(201);
        assertThat(outcome.headers()).containsEntry("X-Seen", "t").containsEntry("Content-Type", "application/json");
        assertThat(text(outcome)).isEqualTo("{\"method\":\"POST\",\"path\":\"/p\",\"q\":[\"1\"],\"body\":\"hello\"}");
    }

    @Test
    void aWsgiAppSeesAPep3333EnvironAndItsWritesAndChunksAreTheBody() {
        FunctionCode function = code("wsgi", "index.py", "handler", Map.of("index.py", """
                def application(environ, start_response):
                    write = start_response('202 Accepted', [('Content-Type', 'text/plain'), ('Content-Length', '99')])
                    write(b'written;')
                    keys = ('REQUEST_METHOD', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING', 'CONTENT_LENGTH',
                            'SERVER_PROTOCOL', 'HTTP_X_CUSTOM_KEY', 'wsgi.url_scheme', 'fc.request_uri')
                    body = environ['wsgi.input'].read().decode()
                    return [';'.join(str(environ[k]) for k in keys).encode(), b';' + body.encode()]
                """));

        Outcome outcome = runtime.run(call(function, "PUT", "/a%20b", "q=1", "data",
                List.of(Map.entry("x-Custom-key", "v"))));

        assertThat(outcome.status()).isEqualTo(202);
        assertThat(outcome.headers()).containsEntry("Content-Type", "text/plain").doesNotContainKey("Content-Length");
        assertThat(text(outcome)).isEqualTo("written;PUT;/functions/x/invoke;/a b;q=1;4;HTTP/1.1;v;http;"
                + "http://localhost/functions/x/invoke/a%20b?q=1;data");
    }

    @Test
    void anEventHandlerGetsTheHttpTriggerEventAndItsStatusCodeDictMapsBack() {
        FunctionCode function = code("event", "index.py", "handler", Map.of("index.py", """
                import json
                def handler(event, context):
                    e = json.loads(event)
                    return {"statusCode": 203, "headers": {"Content-Type": "text/plain"}, "isBase64Encoded": False,
                            "body": "|".join([e["version"], e["rawPath"], e["body"], e["queryParameters"]["q"],
                                              e["requestContext"]["http"]["method"], context.request_id,
                                              context.function.handler, str(context.credentials)])}
                """));

        Outcome outcome = runtime.run(call(function, "POST", "/e", "q=1", "Hello fc3.0", List.of()));

        assertThat(outcome.status()).isEqualTo(203);
        assertThat(text(outcome)).isEqualTo("v1|/functions/x/invoke/e|Hello fc3.0|1|POST|req-1|index.handler|None");
    }

    @Test
    void aRawTestEventIsPassedAsItsBytesAndTheAnswerIsWhatTheHandlerReturned() {
        FunctionCode function = code("event", "index.py", "handler", Map.of("index.py",
                "import json\ndef handler(event, context):\n    evt = json.loads(event)\n    return evt['key']\n"));
        Invocation test = new Invocation(function, "req-2", "POST", "", "", "/", "", List.of(), List.of(),
                new byte[0], Map.of(), null, Invocation.Peer.LOCAL, "{ \"key\": \"value\" }".getBytes());

        assertThat(text(runtime.run(test))).isEqualTo("value");
    }

    @Test
    void aClassHandlerWritesItsResponseAndAnUnimplementedMethodIs501() {
        FunctionCode function = code("http_handler", "index.py", "handler", Map.of("index.py", """
                from http.server import BaseHTTPRequestHandler
                class handler(BaseHTTPRequestHandler):
                    def do_POST(self):
                        length = int(self.headers.get('Content-Length', 0))
                        self.send_response(201)
                        self.send_header('Content-Type', 'text/plain')
                        self.end_headers()
                        self.wfile.write((self.command + ' ' + self.path + ' ').encode() + self.rfile.read(length))
                """));

        Outcome posted = runtime.run(call(function, "POST", "/u", "a=1", "body",
                List.of(Map.entry("Content-Length", "4"))));
        Outcome deleted = runtime.run(call(function, "DELETE", "/u", "", "", List.of()));

        assertThat(posted.status()).isEqualTo(201);
        assertThat(text(posted)).isEqualTo("POST /u?a=1 body");
        assertThat(deleted.status()).isEqualTo(501);
        assertThat(text(deleted)).contains("Unsupported method ('DELETE')");
    }

    @Test
    void anAsgiAppRunsItsLifespanOnceAndStreamsItsBody() {
        FunctionCode function = code("wsgi", "index.py", "app", Map.of("index.py", """
                started = []
                class App:
                    async def __call__(self, scope, receive, send):
                        if scope['type'] == 'lifespan':
                            while True:
                                message = await receive()
                                if message['type'] == 'lifespan.startup':
                                    started.append(1)
                                    await send({'type': 'lifespan.startup.complete'})
                                else:
                                    await send({'type': 'lifespan.shutdown.complete'})
                                    return
                        request = await receive()
                        await send({'type': 'http.response.start', 'status': 418,
                                    'headers': [(b'content-type', b'text/plain'), (b'x-path', scope['path'].encode())]})
                        await send({'type': 'http.response.body', 'body': b'started=%d;' % len(started),
                                    'more_body': True})
                        await send({'type': 'http.response.body', 'body': request['body']})
                app = App()
                """));

        runtime.run(call(function, "POST", "/first", "", "one", List.of()));
        Outcome outcome = runtime.run(call(function, "POST", "/items", "", "two", List.of()));

        assertThat(outcome.status()).as("%s %s", outcome.error(), outcome.traceback()).isEqualTo(418);
        assertThat(outcome.headers()).containsEntry("x-path", "/items");
        assertThat(text(outcome)).isEqualTo("started=1;two");
    }

    @Test
    void checkRefusesASyntaxErrorInAnyFileNamingFileAndLine() {
        PythonRuntime.Check check = runtime.check(Map.of("index.py", "def main():\n    return 1\n",
                "lib/util.py", "def broken(:\n"), "index.py", null, null);

        assertThat(check.problem()).isEqualTo(PythonRuntime.Check.Problem.SYNTAX);
        assertThat(check.file()).isEqualTo("lib/util.py");
        assertThat(check.line()).isEqualTo(1);
    }

    @Test
    void checkDetectsEachStyleFromTheSource() {
        assertThat(runtime.check(Map.of("i.py", "def handle(req):\n    pass\n"), "i.py", null, null).style())
                .isEqualTo("handle");
        assertThat(runtime.check(Map.of("i.py", "def handler(environ, start_response):\n    pass\n"), "i.py", null,
                null).style()).isEqualTo("wsgi");
        assertThat(runtime.check(Map.of("i.py", "def handler(event, context):\n    pass\n"), "i.py", null, null)
                .style()).isEqualTo("event");
        assertThat(runtime.check(Map.of("i.py", "from http.server import BaseHTTPRequestHandler\n"
                + "class handler(BaseHTTPRequestHandler):\n    pass\n"), "i.py", null, null).style())
                .isEqualTo("http_handler");
        PythonRuntime.Check app = runtime.check(Map.of("i.py", "app = object()\n"), "i.py", null, null);
        assertThat(app.style()).isEqualTo("wsgi");
        assertThat(app.entryName()).isEqualTo("app");
    }

    @Test
    void checkRefusesSettingsTheSourceDoesNotFit() {
        PythonRuntime.Check wrongStyle = runtime.check(Map.of("index.py", "def main():\n    pass\n"), "index.py",
                null, "handle");
        PythonRuntime.Check missingMethod = runtime.check(Map.of("index.py", "def main():\n    pass\n"), "index.py",
                "foo", null);
        PythonRuntime.Check none = runtime.check(Map.of("index.py", "x = 1\n"), "index.py", null, null);

        assertThat(wrongStyle.problem()).isEqualTo(PythonRuntime.Check.Problem.BAD_SETTING);
        assertThat(wrongStyle.error()).contains("handle", "index.py");
        assertThat(missingMethod.problem()).isEqualTo(PythonRuntime.Check.Problem.BAD_SETTING);
        assertThat(missingMethod.error()).contains("'foo'");
        assertThat(none.problem()).isEqualTo(PythonRuntime.Check.Problem.NO_ENTRY);
        assertThat(none.error()).contains("def handle(req)", "class handler(BaseHTTPRequestHandler)");
    }
}
