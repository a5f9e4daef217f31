package io.cococloud.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which JDK {@code ./cococloud} picks decides whether the server starts at all, and until now only manual checks
 * covered it, though its JDK search was reworked to start fewer processes (it reads the JDK's release file itself)
 * and one rework ended the launcher on a broken JAVA_HOME until that was noticed by hand (commit 003ef41).
 *
 * <p>The tests run the launcher's own JDK search, unchanged: its text from {@code set -euo pipefail} up to the
 * {@code find_jdk} call (the functions {@code release_value}, {@code java_major} and {@code find_jdk}), in bash,
 * against fake JDKs (shell scripts that tell a version through a release file or when run), with a temporary HOME
 * and a PATH holding only the tools the search uses. Besides JAVA_HOME and PATH it scans folders such as
 * $HOME/.jdks, which the tests fill, and /usr/lib/jvm, which is the machine's own: so the fakes that must win say
 * versions no JDK has yet (98, 99), and the outcomes hold whatever JDKs the machine has. The temporary folders'
 * names contain a space.
 */
class LauncherJdkChoiceTest {

    private static final Path LAUNCHER = Path.of(System.getProperty("cococloud.repo", "..")).resolve("cococloud");
    private static final String REQUIRED_JAVA_LINE = "readonly REQUIRED_JAVA=25";

    @TempDir
    Path tempDir;

    private Path root;
    private Path home;
    private Path tools;

    @BeforeEach
    void fakeHomeAndTools() throws IOException {
        root = Files.createDirectories(tempDir.toRealPath().resolve("fake jdks"));
        home = Files.createDirectories(root.resolve("home"));
        tools = Files.createDirectories(root.resolve("tools"));
        // what the JDK search runs besides bash's builtins; no javac among them (scripts, not links, which the
        // temporary folder's clean-up would warn about)
        for (String tool : List.of("sed", "head", "readlink")) {
            executable(tools.resolve(tool), "exec " + quoted(onPath(tool)) + " \"$@\"");
        }
    }

    @Test
    void anExplicitJavaHomeOfTwentyFiveOrNewerIsTakenFirst() throws Exception {
        Path javaHome = fakeJdk(root.resolve("jdk-25"), release("25.0.1"), javaSays(25));
        Path newerOnPath = fakeJdk(root.resolve("jdk-99"), release("99.0.1"), javaSays(99));
        fakeJdk(home.resolve(".jdks/jdk-98"), release("98"), javaSays(98));

        Result result = chooseJdk(javaHome, newerOnPath.resolve("bin"));

        assertThat(result.chosen()).isEqualTo(javaHome.toString());
    }

    @Test
    void aJavaHomeOlderThanTwentyFiveGivesWayToTheNewestJdkFound() throws Exception {
        Path javaHome = fakeJdk(root.resolve("jdk-21"), release("21.0.7"), javaSays(21));
        Path onPath = fakeJdk(root.resolve("jdk-98"), release("98.0.2"), javaSays(98));
        Path newest = fakeJdk(home.resolve(".jdks/jdk-99"), release("99.0.1"), javaSays(99));

        Result result = chooseJdk(javaHome, onPath.resolve("bin"));

        assertThat(result.chosen()).as("newer than JAVA_HOME, the javac on PATH and the machine's JDKs")
                .isEqualTo(newest.toString());
    }

    @Test
    void theJdkOfTheJavacOnPathIsFoundThroughItsLinks() throws Exception {
        Path jdk = fakeJdk(root.resolve("jdk-99"), release("99.0.1"), javaSays(99));
        // as on Debian: /usr/bin/javac -> /etc/alternatives/javac -> /usr/lib/jvm/.../bin/javac
        Path alternatives = Files.createDirectories(root.resolve("alternatives"));
        Files.createSymbolicLink(alternatives.resolve("javac"), jdk.resolve("bin/javac"));
        Path usrBin = Files.createDirectories(root.resolve("usr-bin"));
        Files.createSymbolicLink(usrBin.resolve("javac"), alternatives.resolve("javac"));

        Result result = chooseJdk(null, usrBin);

        assertThat(result.chosen()).isEqualTo(jdk.toString());
    }

    @Test
    void aJdkVersionIsReadFromItsReleaseFileWithoutStartingItsJava() throws Exception {
        Path started = root.resolve("java was started");
        Path javaHome = fakeJdk(root.resolve("jdk-26"), release("26.0.1"),
                ": > " + quoted(started) + "\n" + javaSays(17));

        Result result = chooseJdk(javaHome, null);

        assertThat(result.chosen()).isEqualTo(javaHome.toString());
        assertThat(started).as("a JVM started to learn the version").doesNotExist();
    }

    @Test
    void aReleaseFileWhoseLastLineHasNoNewlineIsStillRead() throws Exception {
        Path started = root.resolve("java was started");
        Path javaHome = fakeJdk(root.resolve("jdk-26"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"26.0.1\"",
                ": > " + quoted(started) + "\n" + javaSays(17));

        Result result = chooseJdk(javaHome, null);

        assertThat(result.chosen()).isEqualTo(javaHome.toString());
        assertThat(started).as("a JVM started to learn the version").doesNotExist();
    }

    @ParameterizedTest(name = "release file: {0}")
    @NullSource
    @ValueSource(strings = {"IMPLEMENTOR=\"Fake\"\nJAVA_VERSION_DATE=\"2027-03-16\"\n", "JAVA_VERSION=\"\"\n"})
    void aJdkWhoseReleaseFileDoesNotSayItsVersionIsAskedByStartingItsJava(String release) throws Exception {
        Path javaHome = fakeJdk(root.resolve("jdk-27"), release, javaSays(27));

        Result result = chooseJdk(javaHome, null);

        assertThat(result.chosen()).isEqualTo(javaHome.toString());
    }

    @Test
    void onlyAFolderWithAnExecutableJavaAndJavacIsAJdk() throws Exception {
        Path runtimeOnly = fakeJdk(root.resolve("jre-99"), release("99.0.1"), javaSays(99));
        Files.delete(runtimeOnly.resolve("bin/javac"));
        Path javaNotExecutable = fakeJdk(home.resolve(".jdks/a-jdk-99"), release("99.0.1"), javaSays(99));
        Files.setPosixFilePermissions(javaNotExecutable.resolve("bin/java"),
                PosixFilePermissions.fromString("rw-r--r--"));
        Path jdk = fakeJdk(home.resolve(".jdks/b-jdk-98"), release("98.0.1"), javaSays(98));

        Result result = chooseJdk(runtimeOnly, null);

        assertThat(result.chosen()).isEqualTo(jdk.toString());
    }

    @Test
    void aJavaHomeWhoseJavaCannotStartIsPassedOver() throws Exception {
        Path javaHome = fakeJdk(root.resolve("broken-jdk"), null, "exit 1");
        Path jdk = fakeJdk(home.resolve(".jdks/jdk-98"), release("98.0.1"), javaSays(98));

        Result result = chooseJdk(javaHome, null);

        assertThat(result.exitStatus()).as("stderr: %s", result.stderr()).isZero();
        assertThat(result.chosen()).isEqualTo(jdk.toString());
    }

    /**
     * The machine's own JDKs are scanned too, so a machine without a JDK new enough cannot be staged with fakes
     * alone: here the launcher's required version (its one constant) is raised beyond any JDK's, the rest of its
     * search unchanged.
     */
    @Test
    void withoutAJdkNewEnoughTheLauncherStopsWithAMessageNamingJavaHome() throws Exception {
        Path javaHome = fakeJdk(root.resolve("jdk-99"), release("99.0.1"), javaSays(99));
        fakeJdk(home.resolve(".jdks/jdk-98"), release("98.0.1"), javaSays(98));
        String search = launcherJdkSearch();
        assertThat(search).contains(REQUIRED_JAVA_LINE);

        Result result = run(search.replace(REQUIRED_JAVA_LINE, "readonly REQUIRED_JAVA=1000"), javaHome, null);

        assertThat(result.exitStatus()).isEqualTo(1);
        assertThat(result.stdout()).as("no JDK chosen").isEmpty();
        assertThat(result.stderr()).contains("no JDK 1000 or newer").contains("JAVA_HOME");
    }

    private record Result(int exitStatus, String stdout, String stderr) {
        String chosen() {
            assertThat(exitStatus).as("exit status; stderr: %s", stderr).isZero();
            return stdout.strip();
        }
    }

    private Result chooseJdk(Path javaHome, Path pathDir) throws Exception {
        return run(launcherJdkSearch(), javaHome, pathDir);
    }

    /** Runs the launcher's JDK search, then prints the JDK it chose. */
    private Result run(String search, Path javaHome, Path pathDir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(onPath("bash").toString(), "-c",
                search + "find_jdk\nprintf '%s\\n' \"$jdk\"\n", "cococloud");
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", pathDir == null ? tools.toString() : tools + File.pathSeparator + pathDir);
        environment.put("HOME", home.toString());
        environment.put("LC_ALL", "C");
        if (javaHome != null) {
            environment.put("JAVA_HOME", javaHome.toString());
        }
        Path stdout = tempDir.resolve("stdout");
        Path stderr = tempDir.resolve("stderr");
        Process process = builder.directory(root.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the JDK search did not end within 30 s");
        }
        return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    /** The launcher's text from {@code set -euo pipefail} up to its {@code find_jdk} call. */
    private static String launcherJdkSearch() throws IOException {
        List<String> lines = Files.readAllLines(LAUNCHER, StandardCharsets.UTF_8);
        int start = lines.indexOf("set -euo pipefail");
        int end = lines.indexOf("find_jdk");
        assertThat(start).as("%s: its line 'set -euo pipefail'", LAUNCHER).isNotNegative();
        assertThat(end).as("%s: its line 'find_jdk', after 'set -euo pipefail'", LAUNCHER).isGreaterThan(start);
        return String.join("\n", lines.subList(start, end)) + "\n";
    }

    /** A JDK folder: bin/java running {@code javaScript}, a bin/javac, and {@code release} unless null. */
    private static Path fakeJdk(Path dir, String release, String javaScript) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("java"), javaScript);
        executable(bin.resolve("javac"), "exit 0");
        if (release != null) {
            Files.writeString(dir.resolve("release"), release);
        }
        return dir;
    }

    private static void executable(Path file, String script) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A release file as a JDK build writes it. */
    private static String release(String version) {
        return """
                IMPLEMENTOR="Fake"
                JAVA_RUNTIME_VERSION="%1$s+7"
                JAVA_VERSION="%1$s"
                JAVA_VERSION_DATE="2027-03-16"
                IMAGE_TYPE="JDK"
                """.formatted(version);
    }

    /** What {@code java -XshowSettings:properties -version} prints (to stderr), in part; printf: no cat on PATH. */
    private static String javaSays(int specificationVersion) {
        return """
                printf '%%s\\n' 'Property settings:' '    java.home = /fake' \\
                  '    java.specification.version = %1$d' '    java.vm.specification.version = %1$d' \\
                  '' 'openjdk version "%1$d" 2027-03-16' >&2""".formatted(specificationVersion);
    }

    private static String quoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    private static Path onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError(command + " not found on PATH"));
    }
}
