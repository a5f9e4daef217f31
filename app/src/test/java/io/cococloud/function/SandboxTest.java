package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * Hostile code is contained: each attempt ends with a clear error in the envelope (never the
 * server's internals), and a normal function of another project answers correctly while the
 * attempt runs and right after it.
 */
@IntegrationTest
class SandboxTest {

    @LocalServerPort
    int port;

    static Functions attacker;
    static Functions bystander;
    static String normal;

    @BeforeEach
    void projects() {
        if (attacker == null) {
            attacker = Functions.inNewProject(port);
            bystander = Functions.inNewProject(port);
            normal = bystander.deploy("def main():\n    return {'sum': sum(range(int(request.get('n', '10'))))}\n");
        }
    }

    /**
     * The timeout of an attempt that a limit (recursion, output, the sandbox) must end: far beyond the limit's
     * worst case on a loaded 2-core machine, so the timeout can never win the race. The call ends as soon as
     * the limit trips; a limit that never tripped would show as 200 or "timed out", both failures.
     */
    private static final int LIMIT_NOT_TIMEOUT = 300;

    static Stream<Arguments> attempts() {
        return Stream.of(
                // The only file system is the function's own files, read-only at /code: host files do not exist.
                attempt("read a file", "return open('/etc/passwd').read()", "FileNotFoundError"),
                attempt("write a file", "open('/tmp/cococloud-owned', 'w').write('x')", "PermissionError"),
                attempt("list a folder", "import os\n    return os.listdir('/etc')", "FileNotFoundError"),
                attempt("read the process environment file", "return open('/proc/self/environ').read()",
                        "FileNotFoundError"),
                attempt("walk a path", "import pathlib\n    return [str(p) for p in pathlib.Path('/etc').iterdir()]",
                        "FileNotFoundError"),
                attempt("delete a tree", "import shutil\n    shutil.rmtree('/tmp')", "Error"),
                attempt("os.system", "import os\n    return os.system('id')", "not allowed"),
                attempt("subprocess", "import subprocess\n    return subprocess.run(['id']).returncode", "Error"),
                attempt("fork", "import os\n    return os.fork()", "Error"),
                attempt("kill the server", "import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)", "Error"),
                attempt("socket connect", "import socket\n    socket.socket().connect(('127.0.0.1', 22))",
                        "socket was excluded"),
                attempt("DNS lookup", "import socket\n    return socket.gethostbyname('localhost')", "excluded"),
                // Importing urllib.request took 5 s on a busy 2-core machine: the sandbox, not the timeout, must stop it.
                attempt("urllib to a local port", "import urllib.request\n    return urllib.request.urlopen("
                        + "'http://127.0.0.1:' + request.get('port') + '/actuator/health').read()", "Error",
                        LIMIT_NOT_TIMEOUT),
                attempt("http.client", "import http.client\n    c = http.client.HTTPConnection('127.0.0.1', 80)\n"
                        + "    c.request('GET', '/')", "excluded"),
                attempt("ctypes", "import ctypes\n    return ctypes.CDLL(None)", "ModuleNotFoundError"),
                attempt("import java", "import java\n    return str(java.type('java.lang.System'))", "Error"),
                attempt("java.io.File", "import java\n    return java.type('java.io.File')('/').list()", "Error"),
                attempt("polyglot eval", "import polyglot\n    return polyglot.eval(language='js', string='1')",
                        "Error"),
                attempt("polyglot import", "import polyglot\n    return polyglot.import_value('x')", "Error"),
                attempt("host object methods", "return str(render._host.projectId())", "Error"),
                attempt("host object class", "return str(render._host.getClass())", "Error"),
                attempt("threads", "import threading\n    threading.Thread(target=print).start()", "Error"),
                attempt("low-level threads", "import _thread\n    _thread.start_new_thread(print, ())", "Error"),
                attempt("multiprocessing", "import multiprocessing\n    multiprocessing.Process(target=print).start()",
                        "Error"),
                attempt("busy loop", "while True:\n        pass", "timed out"),
                attempt("sleep forever", "time.sleep(10**6)", "timed out"),
                // Took more than 15 s on a loaded 2-core machine: the recursion limit, not the timeout, must end it.
                attempt("deep recursion", "def f(n):\n        return f(n + 1)\n    return f(0)", "RecursionError",
                        LIMIT_NOT_TIMEOUT),
                // Memory bombs: MemoryIsolationTest, in a JVM with a small heap of its own.
                attempt("print 100 MB", "line = 'x' * 1000\n    for _ in range(100_000):\n        print(line)",
                        "output limit", LIMIT_NOT_TIMEOUT),
                attempt("huge integer power", "return len(str(7 ** 30_000_000))", "timed out"),
                attempt("sys.exit", "import sys\n    sys.exit(3)", "SystemExit"));
    }

    private static Arguments attempt(String name, String body, String errorContains) {
        return attempt(name, body, errorContains, 2);
    }

    private static Arguments attempt(String name, String body, String errorContains, int timeoutSeconds) {
        return Arguments.of(name, "def main():\n    " + body + "\n", errorContains, timeoutSeconds);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void isContainedWhileOtherProjectsKeepAnswering(String name, String code, String errorContains,
            int timeoutSeconds) {
        String hostile = attacker.deploy(code, Map.of("timeout_s", timeoutSeconds));
        CompletableFuture<AdminApi.Response> attack = CompletableFuture.supplyAsync(
                () -> attacker.get(hostile, "port=" + port));

        assertNormalFunctionAnswers();
        AdminApi.Response response = attack.join();

        assertThat(response.status()).as(name + ": " + response.body()).isIn(500, 504);
        assertThat(response.json().get("success").asBoolean()).isFalse();
        String error = response.json().get("error").asString();
        assertThat(error).as(name).contains(errorContains).doesNotContain("InternalError")
                .doesNotContain("io.cococloud");
        assertNormalFunctionAnswers();
    }

    @Test
    void hostEnvironmentVariablesAreInvisible() {
        String reader = attacker.deploy("import os\ndef main():\n    return dict(os.environ)\n");
        AdminApi.Response response = attacker.get(reader, "").expect(200);
        assertThat(response.json().get("result").propertyNames()).doesNotContain("PATH", "HOME", "JAVA_HOME",
                "COCO_ADMIN_PASSWORD", "SPRING_DATASOURCE_PASSWORD");
    }

    @Test
    void aContextThatFailedIsNotReusedForTheNextCall() {
        String hostile = attacker.deploy("import sys\ndef main():\n    sys.exit(1)\n");
        attacker.get(hostile, "").expect(500);
        String fine = attacker.deploy("def main():\n    return 'still fine'\n");
        assertThat(attacker.get(fine, "").expect(200).json().get("result").asString()).isEqualTo("still fine");
    }

    private void assertNormalFunctionAnswers() {
        AdminApi.Response response = bystander.get(normal, "n=100").expect(200);
        assertThat(response.json().get("result").get("sum").asInt()).isEqualTo(4950);
    }
}
