package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * The official CocoBase JavaScript SDK (npm {@code cocobase}, pinned in app/src/test/node/package.json)
 * against this server: app/src/test/node/sdk-check.mjs signs up, logs in, works on documents and
 * calls a function through the SDK, asserting the shapes the SDK reads.
 */
@IntegrationTest
class CocobaseSdkTest {

    private static final String FUNCTION_NAME = "sdk_echo";
    private static final long TIMEOUT_S = 120;

    @LocalServerPort
    int port;

    @Test
    void theOfficialJavaScriptSdkWorksAgainstTheServer() throws Exception {
        String node = executable("node");
        String npm = executable("npm");
        if (node == null || npm == null) {
            String why = "The SDK check needs Node.js (node and npm on the PATH)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + ", and CI installs it: it is missing");
            }
            Assumptions.assumeTrue(false, why + "; skipped because it is not installed");
        }
        Path dir = Path.of(System.getProperty("cococloud.repo", "."), "app", "src", "test", "node");
        assertThat(dir.resolve("sdk-check.mjs")).exists();

        Functions functions = Functions.inNewProject(port);
        String projectId = functions.projectId();
        String clientKey = functions.owner()
                .post(AdminApi.API + "/projects/" + projectId + "/keys", Map.of("kind", "client")).expect(201)
                .json().get("key").asString();
        functions.deploy("""
                def main():
                    u = request.user
                    return {"echo": request.get("msg"), "user": u.email if u else None}
                """, Map.of("name", FUNCTION_NAME));

        if (!Files.isDirectory(dir.resolve("node_modules").resolve("cocobase"))) {
            Run install = run(dir, Map.of(), npm, "ci", "--no-audit", "--no-fund");
            assertThat(install.exit).as("npm ci failed:%n%s", install.output).isZero();
        }
        Run check = run(dir, Map.of("BASE_URL", "http://localhost:" + port, "API_KEY", clientKey,
                "FUNCTION_PROJECT", projectId, "FUNCTION_NAME", FUNCTION_NAME), node, "sdk-check.mjs");
        System.out.print(check.output); // one line per SDK call, plus notes on declared-only fields
        assertThat(check.exit).as("sdk-check.mjs failed:%n%s", check.output).isZero();
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path dir, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Path log = Files.createTempFile("cococloud-sdk-check-", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Run(-1, "timed out after " + TIMEOUT_S + " s: " + String.join(" ", command) + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The absolute path of {@code name} on the PATH, or null. */
    private static String executable(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
