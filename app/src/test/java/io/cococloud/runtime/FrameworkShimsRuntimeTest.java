package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the runtime does so that web frameworks run unchanged in the sandbox (no threads, no native code), shown
 * with small stand-ins for the frameworks' code paths: the real frameworks are in {@link FrameworkAppsRuntimeTest}.
 */
class FrameworkShimsRuntimeTest {

    static PythonRuntime runtime;
    static final UUID PROJECT = UUID.randomUUID();

    @BeforeAll
    static void start() {
        runtime = StandaloneRuntimes.start();
    }

    @AfterAll
    static void stop() {
        runtime.destroy();
    }

    private static Outcome run(String style, String entryName, Map<String, String> files) {
        return run(PROJECT, style, entryName, files);
    }

    private static Outcome run(UUID project, String style, String entryName, Map<String, String> files) {
        FunctionCode function = new FunctionCode(project, UUID.randomUUID(), "f", 1, style, "index.py", entryName,
                files, Duration.ofSeconds(30));
        return runtime.run(new Invocation(function, "r", "GET", "/f", "", "/", "", List.of(), List.of(),
                new byte[0], Map.of(), null, Invocation.Peer.LOCAL, null));
    }

    @Test
    void nativeOnlyModulesAreAbsentSoFrameworksTakeTheirFallbacks() {
        Outcome outcome = run("main", "main", Map.of("index.py", """
                def absent(name):
                    try:
                        __import__(name)
                        return 'imported'
                    except ImportError:  # Django's `except ImportError` around termios, as frameworks write it
                        return 'ImportError'
                def main():
                    return [absent(m) for m in ('termios', '_ctypes', 'ctypes', '_sqlite3', 'pyexpat', '_testcapi')]
                """));

        assertThat(outcome.resultJson()).as("traceback: %s", outcome.traceback()).isEqualTo(
                "[\"ImportError\",\"ImportError\",\"ImportError\",\"ImportError\",\"ImportError\",\"ImportError\"]");
    }

    @Test
    void loggingWritesToTheExecutionsLogOnceAFunctionImportsIt() {
        Outcome outcome = run("main", "main", Map.of("index.py", """
                import logging
                def main():
                    logging.getLogger('my_logger').warning('careful')
                    logging.info('done')
                    logging.debug('not shown: below INFO')
                    return 1
                """));

        assertThat(outcome.resultJson()).as("traceback: %s", outcome.traceback()).isEqualTo("1");
        assertThat(outcome.logs()).isEqualTo("WARNING my_logger: careful\nINFO root: done\n");
    }

    @Test
    void aContextWhoseFunctionsNeverLogHasNotImportedLogging() {
        Outcome outcome = run(UUID.randomUUID(), "main", "main", Map.of("index.py", """
                import sys
                def main():
                    return 'logging' in sys.modules
                """));

        assertThat(outcome.resultJson()).as("traceback: %s", outcome.traceback()).isEqualTo("false");
    }

    @Test
    void zoneinfoFindsTheHostsTimeZoneDataReadOnly() {
        Assumptions.assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/usr/share/zoneinfo/Europe")),
                "this machine has no time zone data (Debian's tzdata) to show");
        Outcome outcome = run("main", "main", Map.of("index.py", """
                import datetime, zoneinfo
                def main():
                    paris = datetime.datetime(2026, 7, 1, 12, tzinfo=zoneinfo.ZoneInfo('Europe/Paris'))
                    try:
                        open('/usr/share/zoneinfo/Europe/Paris', 'ab')
                        written = 'written'
                    except PermissionError:
                        written = 'PermissionError'
                    return [paris.utcoffset().total_seconds(), zoneinfo.TZPATH, written]
                """));

        assertThat(outcome.resultJson()).as("traceback: %s", outcome.traceback())
                .isEqualTo("[7200.0,[\"/usr/share/zoneinfo\"],\"PermissionError\"]");
    }

    @Test
    void anyiosToThreadRunSyncRunsTheFunctionInlineInsteadOfStartingAThread() {
        // anyio's own run_sync hands the call to a worker thread, which the sandbox forbids: a stand-in that does.
        Outcome outcome = run("asgi", "app", Map.of(
                "anyio/__init__.py", "from . import to_thread\n",
                "anyio/to_thread.py", """
                        import threading
                        async def run_sync(func, *args, cancellable=False, limiter=None):
                            worker = threading.Thread(target=func, args=args)
                            worker.start()
                            worker.join()
                        """,
                "index.py", """
                        import threading
                        import anyio.to_thread
                        def blocking(word):  # what Starlette runs for a plain def endpoint
                            return word.upper() + ' on ' + threading.current_thread().name
                        async def app(scope, receive, send):
                            text = await anyio.to_thread.run_sync(blocking, 'inline')
                            await send({'type': 'http.response.start', 'status': 200, 'headers': []})
                            await send({'type': 'http.response.body', 'body': text.encode()})
                        """));

        assertThat(outcome.error()).as("traceback: %s", outcome.traceback()).isNull();
        assertThat(new String(outcome.body(), StandardCharsets.UTF_8)).startsWith("INLINE on ");
    }

    @Test
    void aModulesOwnRequestNameIsNotReplacedByCocoCloudsRequest() {
        // Flask's `from flask import request` binds the module's `request`: the per-call pre-set name must not win.
        Outcome outcome = run("wsgi", "app", Map.of("index.py", """
                import json as request
                def app(environ, start_response):
                    start_response('200 OK', [])
                    return [request.__name__.encode(), b' ', str(req is not None).encode()]
                """));

        assertThat(outcome.error()).as("traceback: %s", outcome.traceback()).isNull();
        assertThat(new String(outcome.body(), StandardCharsets.UTF_8)).isEqualTo("json True");
    }
}
