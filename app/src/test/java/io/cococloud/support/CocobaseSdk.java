package io.cococloud.support;

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

/**
 * The official CocoBase JavaScript SDK (npm {@code cocobase}, pinned in app/src/test/node/package.json), installed
 * with {@code npm ci} on first use: for Node scripts, and its browser bundle for pages in Chromium.
 */
public final class CocobaseSdk {

    private static final long TIMEOUT_S = 120;

    private CocobaseSdk() {}

    /** What a process printed, and how it ended. */
    public record Run(int exit, String output) {}

    /** app/src/test/node with the SDK installed in its node_modules. */
    public static synchronized Path directory() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("cococloud.repo", "."), "app", "src", "test", "node");
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("cocobase"))) {
            Run install = run(dir, Map.of(), executable("npm"), "ci", "--no-audit", "--no-fund");
            if (install.exit() != 0) {
                fail("npm ci failed:\n" + install.output());
            }
        }
        return dir;
    }

    /** The SDK's browser bundle (a script defining the global {@code CocobaseSDK}). */
    public static Path browserBundle() throws IOException, InterruptedException {
        return directory().resolve("node_modules/cocobase/dist/browser/cocobase.min.js");
    }

    /** The absolute path of Node.js's {@code name} (node, npm): a failure under CI, else the test is skipped. */
    public static String executable(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, name);
            if (!d.isEmpty() && Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate.toString();
            }
        }
        String why = "The SDK checks need Node.js (node and npm on the PATH)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + ", and CI installs it: it is missing");
        }
        Assumptions.assumeTrue(false, why + "; skipped because it is not installed");
        return null;
    }

    public static Run run(Path dir, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Path log = Files.createTempFile("cococloud-sdk-", ".log");
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
}
