package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.cococloud.support.EdgeOneExamples;
import io.cococloud.support.FcHttpExamples;
import io.cococloud.support.PythonTestPackages;

/**
 * Web framework apps with their packages vendored (bookworm's Flask 2.2 and Starlette 0.26 from Debian's archive),
 * run by the runtime itself: the packages import from the version's files, templates and static files open from
 * its read-only file system, Starlette's thread-pool calls run inline on the sandbox's event loop.
 * Importing a framework takes seconds of CPU in a new context: the functions' timeouts are generous on purpose.
 */
@Tag("frameworks") // a JVM of its own: see app/pom.xml
class FrameworkAppsRuntimeTest {

    static PythonRuntime runtime;
    static final UUID PROJECT = UUID.randomUUID();
    /** Not a bound under test: importing Flask in a fresh context of a loaded 2-core machine can take many seconds. */
    static final Duration GENEROUS = Duration.ofMinutes(5);

    @BeforeAll
    static void start() {
        runtime = StandaloneRuntimes.start(Duration.ofMinutes(10), 0);
    }

    @AfterAll
    static void stop() {
        runtime.destroy();
    }

    @Test
    void functionComputesFlaskExampleAnswersAsTheDocumentShows() {
        Bundle bundle = Bundle.of("flask", "").with(Map.of("index.py", FcHttpExamples.FLASK), Map.of());
        FunctionCode function = bundle.function("wsgi", "index.py", "handler");

        Outcome outcome = runtime.run(call(function, "GET", "", "", "/", new byte[0]));

        assertThat(outcome.error()).as("traceback: %s", outcome.traceback()).isNull();
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(text(outcome)).isEqualTo("Web App with Python Flask!");
    }

    @Test
    void edgeOnesFlaskExampleAnswersUnderItsRoutePrefixWithPackagesInPythonPackages() {
        Bundle bundle = Bundle.of("flask", "python_packages/").with(Map.of("api/index.py", EdgeOneExamples.FLASK), Map.of());
        FunctionCode function = bundle.function("wsgi", "api/index.py", "app");

        Outcome list = runtime.run(call(function, "GET", "/p/shop", "/api", "/api/users", new byte[0]));
        Outcome created = runtime.run(call(function, "POST", "/p/shop", "/api", "/api/users",
                "{\"name\": \"Carol\"}".getBytes(StandardCharsets.UTF_8)));

        assertThat(list.error()).as("traceback: %s", list.traceback()).isNull();
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.headers()).containsEntry("Content-Type", "application/json");
        assertThat(text(list).replaceAll("\\s", ""))
                .isEqualTo("{\"users\":[{\"id\":1,\"name\":\"Alice\"},{\"id\":2,\"name\":\"Bob\"}]}");
        assertThat(created.error()).as("traceback: %s", created.traceback()).isNull();
        assertThat(created.status()).as("logs: %s", created.logs()).isEqualTo(201);
        assertThat(text(created).replaceAll("\\s", ""))
                .isEqualTo("{\"message\":\"Usercreated\",\"user\":{\"name\":\"Carol\"}}");
    }

    @Test
    void aFlaskAppRendersItsTemplatesAndServesItsStaticFiles() {
        byte[] logo = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, (byte) 0xfe};
        Bundle bundle = Bundle.of("flask", "").with(Map.of("index.py", """
                from flask import Flask, render_template
                app = Flask(__name__)
                @app.route('/hello/<name>')
                def hello(name):
                    return render_template('hello.html', name=name)
                """), Map.of(
                "templates/hello.html", bytes("""
                        {% extends 'base.html' %}{% block body %}<h1>Hello {{ name }}</h1>{% endblock %}"""),
                "templates/base.html", bytes("""
                        <link href="{{ url_for('static', filename='site.css') }}">{% block body %}{% endblock %}"""),
                "static/site.css", bytes("h1 { color: teal }\n"),
                "static/img/logo.png", logo));
        FunctionCode function = bundle.function("wsgi", "index.py", "app");

        Outcome page = runtime.run(call(function, "GET", "/f", "", "/hello/<Ada>", new byte[0]));
        Outcome css = runtime.run(call(function, "GET", "/f", "", "/static/site.css", new byte[0]));
        Outcome png = runtime.run(call(function, "GET", "/f", "", "/static/img/logo.png", new byte[0]));
        Outcome missing = runtime.run(call(function, "GET", "/f", "", "/static/none.css", new byte[0]));

        assertThat(page.error()).as("traceback: %s", page.traceback()).isNull();
        assertThat(text(page)).isEqualTo("<link href=\"/f/static/site.css\"><h1>Hello &lt;Ada&gt;</h1>");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.headers().get("Content-Type")).startsWith("text/css");
        assertThat(text(css)).isEqualTo("h1 { color: teal }\n");
        assertThat(png.headers()).containsEntry("Content-Type", "image/png");
        assertThat(png.body()).isEqualTo(logo);
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void aStarletteAppRunsItsPlainDefEndpointsInlineAndServesStaticFiles() {
        Bundle bundle = Bundle.of("starlette", "").with(Map.of("index.py", """
                from starlette.applications import Starlette
                from starlette.responses import JSONResponse, PlainTextResponse
                from starlette.routing import Mount, Route
                from starlette.staticfiles import StaticFiles

                def hello(request):  # a plain def: Starlette calls it through anyio.to_thread.run_sync
                    return PlainTextResponse('hello ' + request.path_params['name'])

                async def items(request):
                    return JSONResponse({'items': [1, 2], 'path': request.url.path})

                app = Starlette(routes=[Route('/hello/{name}', hello), Route('/items', items),
                                        Mount('/static', StaticFiles(directory='static'), name='static')])
                """), Map.of("static/app.js", bytes("console.log('hi')\n")));
        FunctionCode function = bundle.function("asgi", "index.py", "app");

        Outcome hello = runtime.run(call(function, "GET", "/f", "", "/hello/Ada", new byte[0]));
        Outcome items = runtime.run(call(function, "GET", "/f", "", "/items", new byte[0]));
        Outcome script = runtime.run(call(function, "GET", "/f", "", "/static/app.js", new byte[0]));

        assertThat(hello.error()).as("traceback: %s", hello.traceback()).isNull();
        assertThat(text(hello)).isEqualTo("hello Ada");
        assertThat(text(items)).isEqualTo("{\"items\":[1,2],\"path\":\"/f/items\"}");
        assertThat(script.error()).as("traceback: %s", script.traceback()).isNull();
        assertThat(script.status()).isEqualTo(200);
        assertThat(text(script)).isEqualTo("console.log('hi')\n");
    }

    private static Invocation call(FunctionCode function, String method, String mountPath, String routePrefix,
            String path, byte[] body) {
        List<Map.Entry<String, String>> headers = body.length == 0 ? List.of()
                : List.of(Map.entry("Content-Type", "application/json"));
        return new Invocation(function, "req-1", method, mountPath, routePrefix, path, "", headers, List.of(), body,
                Map.of(), null, Invocation.Peer.LOCAL, null);
    }

    private static String text(Outcome outcome) {
        return outcome.body() == null ? "" : new String(outcome.body(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A version's files: pure-Python packages from Debian's archive, unpacked by the test set-up into
     * {@code app/target/python-packages/<set>/} (never from PyPI, never in the repository), plus the app's own.
     *
     * @param sources the Python sources by path (what the loader imports)
     * @param tree    every file by path as bytes (what the read-only file system shows)
     */
    record Bundle(Map<String, String> sources, Map<String, byte[]> tree) {

        /** The packages of a set, each under {@code prefix}: "" (the code root) or "python_packages/". */
        static Bundle of(String set, String prefix) {
            Path root = PythonTestPackages.folder(set);
            Map<String, String> sources = new HashMap<>();
            Map<String, byte[]> tree = new HashMap<>();
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path file : paths.filter(Files::isRegularFile).toList()) {
                    String path = prefix + root.relativize(file).toString();
                    if (path.contains("__pycache__/") || path.endsWith(".so") || path.endsWith(".complete")) {
                        continue; // the host CPython's bytecode and native code: never part of an upload
                    }
                    byte[] bytes = Files.readAllBytes(file);
                    tree.put(path, bytes);
                    if (path.endsWith(".py")) {
                        sources.put(path, new String(bytes, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Bundle(sources, tree);
        }

        /** These files plus the app's sources and other files. */
        Bundle with(Map<String, String> appSources, Map<String, byte[]> appFiles) {
            Map<String, String> allSources = new HashMap<>(sources);
            Map<String, byte[]> allFiles = new HashMap<>(tree);
            allSources.putAll(appSources);
            appSources.forEach((path, source) -> allFiles.put(path, bytes(source)));
            allFiles.putAll(appFiles);
            return new Bundle(allSources, allFiles);
        }

        FunctionCode function(String style, String entryFile, String entryName) {
            return new FunctionCode(PROJECT, UUID.randomUUID(), "app", 1, style, entryFile, entryName, sources,
                    GENEROUS, tree);
        }
    }
}
