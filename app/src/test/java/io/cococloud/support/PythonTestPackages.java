package io.cococloud.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Pure-Python packages from Debian's archive that scripts/python-test-packages.sh fetches into
 * app/target/python-packages/ (./cococloud test runs it first). Missing: a failure under CI, which must have
 * them, else the test is skipped, as the browser tests do without Chromium.
 */
public final class PythonTestPackages {

    private static final String SCRIPT = "scripts/python-test-packages.sh";

    private PythonTestPackages() {
    }

    /** bookworm's Flask 2.2 with werkzeug, jinja2, markupsafe (pure Python), itsdangerous, click, blinker. */
    public static Path flask() {
        return folder("flask");
    }

    /** Every file under the folder by its path from there, as an upload carries it (installed beside the code). */
    public static Map<String, byte[]> files(Path folder, String prefix) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String path = folder.relativize(file).toString().replace('\\', '/');
                if (!path.equals(".complete")) {
                    files.put(prefix + path, Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** bookworm's Starlette 0.26 with anyio, sniffio and idna. */
    public static Path starlette() {
        return folder("starlette");
    }

    /**
     * trixie's FastAPI 0.115 with starlette 0.46, anyio 4.8, sniffio, idna, typing_extensions 4.13 and pydantic 1.10
     * (trixie's pydantic 2 bundles it as pydantic.v1; the script makes it the top-level pydantic).
     */
    public static Path fastapi() {
        return folder("fastapi");
    }

    /** trixie's Django 4.2 with asgiref and sqlparse. */
    public static Path django() {
        return folder("django");
    }

    /** A set the script fetches ("flask", "starlette", "fastapi", "django"), by its folder name. */
    public static Path folder(String name) {
        // the tests run with app/ as the working directory
        Path folder = Path.of("target", "python-packages", name);
        if (!Files.isRegularFile(folder.resolve(".complete"))) {
            String why = "The vendored-package tests need Debian's " + name + " packages in " + folder.toAbsolutePath()
                    + ", which " + SCRIPT + " fetches (./cococloud test runs it)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + ": they are missing; run " + SCRIPT + " and see what it says");
            }
            Assumptions.assumeTrue(false, why + "; skipped because they are not there");
        }
        return folder;
    }
}
