package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deploy-time check says what a function's own code uses that the sandbox denies (README "Honest limits"), naming
 * the file and line, instead of leaving it to the first call to fail; the deploy goes on.
 */
class SandboxLimitWarningsTest {

    static PythonRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = StandaloneRuntimes.start();
    }

    @AfterAll
    static void stop() {
        runtime.destroy();
    }

    private static PythonRuntime.Check check(String source) {
        return runtime.check(Map.of("index.py", source), "index.py", null, null);
    }

    @Test
    void aLocalDatabaseFileIsNamedWithItsLine() {
        PythonRuntime.Check check = check("import json\nimport sqlite3\n\ndef main():\n    return 1\n");

        assertThat(check.ok()).isTrue();
        assertThat(check.warnings()).containsExactly("index.py line 2: sqlite3: sqlite3 cannot load in the sandbox"
                + " (no native code, no files to write): keep data in the project's collections through `db`");
    }

    @Test
    void djangosSqliteBackendIsNamed() {
        PythonRuntime.Check check = check("""
                DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}
                def main():
                    return 1
                """);

        assertThat(check.warnings()).containsExactly("index.py line 1: Django's sqlite3 database backend cannot work"
                + " in the sandbox: set DATABASES = {} (or keep data in the project's collections through `db`)");
    }

    @Test
    void startingThreadsOrProcessesIsNamedButALockIsNot() {
        PythonRuntime.Check check = check("""
                import threading
                from concurrent.futures import ThreadPoolExecutor
                import os
                LOCK = threading.Lock()
                def main():
                    threading.Thread(target=print).start()
                    os.system('ls')
                    return 1
                """);

        assertThat(check.warnings()).containsExactlyInAnyOrder(
                "index.py line 2: ThreadPoolExecutor: threads cannot be started in the sandbox (starting one stops"
                        + " the call)",
                "index.py line 6: threading.Thread: threads cannot be started in the sandbox (starting one stops"
                        + " the call)",
                "index.py line 7: os.system: processes cannot be started in the sandbox");
    }

    @Test
    void plainCodeHasNoWarnings() {
        assertThat(check("import json, time\ndef main():\n    return json.dumps({'t': time.time()})\n").warnings())
                .isEmpty();
    }
}
