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
 * The read-only file system of a function (PythonRuntime directly, no HTTP): its version's whole tree at /code,
 * nothing of the host, no writes; one context shared by the project's functions shows each call its own version.
 */
class ReadOnlyFileSystemRuntimeTest {

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

    /** A main() function whose version holds these sources and, in its tree, these other files. */
    private static FunctionCode function(Map<String, String> sources, Map<String, byte[]> others) {
        Map<String, byte[]> tree = new java.util.HashMap<>(others);
        sources.forEach((path, source) -> tree.put(path, source.getBytes(StandardCharsets.UTF_8)));
        return new FunctionCode(PROJECT, UUID.randomUUID(), "f", 1, "main", "index.py", "main", sources,
                Duration.ofSeconds(30), others.isEmpty() ? Map.of() : tree);
    }

    private static String result(FunctionCode function) {
        Outcome outcome = runtime.run(Invocation.of(function, "GET", "/", List.of(), List.of(), new byte[0], null));
        assertThat(outcome.error()).as("error of the call (traceback: %s)", outcome.traceback()).isNull();
        return outcome.resultJson();
    }

    @Test
    void theFunctionsDataFilesAndTemplatesOpenBesideItsFile() {
        FunctionCode function = function(Map.of("index.py", """
                import os
                HERE = os.path.dirname(__file__)
                def main():
                    with open(os.path.join(HERE, 'data', 'cities.csv')) as f:
                        cities = f.read().split()
                    with open(HERE + '/templates/hi.html', 'rb') as f:
                        template = f.read().decode()
                    return [cities, template, os.path.exists(HERE + '/static/logo.png'),
                            os.path.getsize(HERE + '/static/logo.png'), sorted(os.listdir(HERE)),
                            os.path.isdir(HERE + '/data'), os.path.isfile(HERE + '/data')]
                """), Map.of("data/cities.csv", "Lyon\nOslo\n".getBytes(StandardCharsets.UTF_8),
                "templates/hi.html", "<p>{{ name }}</p>".getBytes(StandardCharsets.UTF_8),
                "static/logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff}));

        assertThat(result(function)).isEqualTo("[[\"Lyon\",\"Oslo\"],\"<p>{{ name }}</p>\",true,6,"
                + "[\"data\",\"index.py\",\"static\",\"templates\"],true,false]");
    }

    @Test
    void theStandardLibraryLoadsFromItsCompiledCopyWhichCannotBeWritten() {
        FunctionCode function = function(Map.of("index.py", """
                import email.parser, os
                def main():
                    spec = email.parser.__spec__
                    try:
                        open('/stdlib/email/parser.py', 'a')
                        written = 'written'
                    except PermissionError:
                        written = 'PermissionError'
                    try:
                        open('/stdlib/no/such.py')
                    except FileNotFoundError as error:
                        missing = str(error)
                    return [spec.origin, os.path.exists(spec.cached), written, missing,
                            email.parser.Parser.parse.__code__.co_filename]
                """), Map.of());

        assertThat(result(function)).isEqualTo("[\"/stdlib/email/parser.py\",true,\"PermissionError\","
                + "\"[Errno 2] No such file or directory: '/stdlib/no/such.py'\",\"/stdlib/email/parser.py\"]");
    }

    @Test
    void aStoredFileThatIsGraalPyBytecodeIsNeverShown() {
        byte[] bytecode = new byte[20]; // GraalPy's magic, then a header a crafted file would choose
        System.arraycopy(new byte[] {'R', 'S', '\r', '\n'}, 0, bytecode, 0, 4);
        FunctionCode function = function(Map.of("index.py", """
                import os
                def main():
                    return [os.path.exists('/code/model.bin'), os.path.exists('/code/notes.txt')]
                """), Map.of("model.bin", bytecode, "notes.txt", "kept".getBytes(StandardCharsets.UTF_8)));

        assertThat(result(function)).isEqualTo("[false,true]");
    }

    @Test
    void theServerCompiledTheFunctionsOwnModulesSoTheirTracebacksStillShowTheirLines() {
        FunctionCode function = function(Map.of("index.py", """
                import helpers
                def main():
                    return helpers.fail()
                """, "helpers.py", """
                def fail():
                    raise ValueError('from the helper')
                """), Map.of("data.txt", "x".getBytes(StandardCharsets.UTF_8)));

        Outcome outcome = runtime.run(Invocation.of(function, "GET", "/", List.of(), List.of(), new byte[0], null));

        assertThat(outcome.traceback()).contains("File \"/code/helpers.py\", line 2, in fail")
                .contains("raise ValueError('from the helper')").doesNotContain("cococloud");
    }

    @Test
    void theWorkingDirectoryIsTheCodeRootSoRelativePathsWork() {
        FunctionCode function = function(Map.of("index.py", """
                import os
                def main():
                    with open('notes.txt') as f:
                        return [os.getcwd(), f.read(), os.path.abspath('notes.txt')]
                """), Map.of("notes.txt", "relative".getBytes(StandardCharsets.UTF_8)));

        assertThat(result(function)).isEqualTo("[\"/code\",\"relative\",\"/code/notes.txt\"]");
    }

    @Test
    void aVersionWithoutATreeShowsItsSources() {
        FunctionCode function = function(Map.of("index.py", """
                import os
                def main():
                    with open(__file__) as f:
                        first = f.readline().strip()
                    return [first, os.listdir('/code/lib'), os.path.exists('/code/lib/util.py')]
                """, "lib/util.py", "X = 1\n"), Map.of());

        assertThat(function.tree()).isEmpty();
        assertThat(result(function)).isEqualTo("[\"import os\",[\"util.py\"],true]");
    }

    @Test
    void writingCreatingAndDeletingFilesIsAPermissionError() {
        FunctionCode function = function(Map.of("index.py", """
                import os
                def attempt(action):
                    try:
                        action()
                        return 'done'
                    except PermissionError:
                        return 'PermissionError'
                def write(path, mode='w'):
                    with open(path, mode) as f:
                        f.write('x')
                def main():
                    return [attempt(lambda: write('/code/new.txt')), attempt(lambda: write('/code/index.py', 'a')),
                            attempt(lambda: write('/code/data.txt')), attempt(lambda: os.remove('/code/data.txt')),
                            attempt(lambda: os.mkdir('/code/cache')), attempt(lambda: write('relative.txt')),
                            open('/code/data.txt').read()]
                """), Map.of("data.txt", "kept".getBytes(StandardCharsets.UTF_8)));

        assertThat(result(function)).isEqualTo("[\"PermissionError\",\"PermissionError\",\"PermissionError\","
                + "\"PermissionError\",\"PermissionError\",\"PermissionError\",\"kept\"]");
    }

    @Test
    void hostFilesStayOutOfReach() {
        FunctionCode function = function(Map.of("index.py", """
                import os
                def attempt(action):
                    try:
                        return repr(action())
                    except (FileNotFoundError, PermissionError) as e:
                        return type(e).__name__
                def main():
                    return [attempt(lambda: open('/etc/passwd').read()), attempt(lambda: os.listdir('/etc')),
                            attempt(lambda: open('/code/../etc/passwd').read()), os.path.exists('/etc/passwd'),
                            os.path.exists('/tmp'), os.listdir('/')]
                """), Map.of("a.txt", new byte[] {'a'}));

        assertThat(result(function)).isEqualTo("[\"FileNotFoundError\",\"FileNotFoundError\","
                + "\"FileNotFoundError\",false,false,[\"code\"]]");
    }

    @Test
    void eachCallSeesItsOwnVersionsFilesInASharedContext() {
        String code = """
                import os
                def main():
                    return [open('/code/version.txt').read(), os.path.exists('/code/only-in-a.txt')]
                """;
        FunctionCode a = function(Map.of("index.py", code), Map.of("version.txt", new byte[] {'A'},
                "only-in-a.txt", new byte[0]));
        FunctionCode b = function(Map.of("index.py", code), Map.of("version.txt", new byte[] {'B'}));

        for (int round = 0; round < 2; round++) {
            assertThat(result(a)).isEqualTo("[\"A\",true]");
            assertThat(result(b)).isEqualTo("[\"B\",false]");
        }
    }

    @Test
    void aPackagesDataFilesReadThroughPkgutilAndImportlibResources() {
        FunctionCode function = function(Map.of("index.py", """
                import pkgutil
                import importlib.resources
                import mypkg.sub
                from mypkg import helper
                def main():
                    return [pkgutil.get_data('mypkg', 'data/words.txt').decode(),
                            importlib.resources.files('mypkg').joinpath('data/words.txt').read_text(),
                            sorted(p.name for p in importlib.resources.files('mypkg').iterdir()),
                            mypkg.__path__, mypkg.sub.where(), helper.NAME]
                """,
                "mypkg/__init__.py", "",
                "mypkg/helper.py", "NAME = 'helper'\n",
                "mypkg/sub/__init__.py", "from ..helper import NAME\nimport os\n"
                        + "def where():\n    return [NAME, os.path.basename(os.path.dirname(__file__))]\n"),
                Map.of("mypkg/data/words.txt", "hello words".getBytes(StandardCharsets.UTF_8)));

        assertThat(result(function)).isEqualTo("[\"hello words\",\"hello words\","
                + "[\"__init__.py\",\"data\",\"helper.py\",\"sub\"],[\"/code/mypkg\"],[\"helper\",\"sub\"],\"helper\"]");
    }

    @Test
    void packagesInAPythonPackagesFolderImportAsTopLevelModules() {
        FunctionCode function = function(Map.of("index.py", """
                import greeting
                def main():
                    return [greeting.hello(), greeting.__file__]
                """,
                "python_packages/greeting/__init__.py", "def hello():\n    return 'hi'\n"), Map.of());

        assertThat(result(function)).isEqualTo("[\"hi\",\"/code/python_packages/greeting/__init__.py\"]");
    }

    @Test
    void twoFunctionsVendoringDifferentCopiesOfAPackageEachGetTheirOwnInASharedContext() {
        String code = """
                import shapes
                from shapes import extra
                def main():
                    return [shapes.VERSION, shapes.banner(), extra.NAME]
                """;
        FunctionCode one = function(Map.of("index.py", code,
                "shapes/__init__.py", "import importlib.resources\nVERSION = '1.0'\n"
                        + "def banner():\n    return importlib.resources.files(__name__).joinpath('banner.txt').read_text()\n",
                "shapes/extra.py", "NAME = 'extra of 1.0'\n"),
                Map.of("shapes/banner.txt", "banner 1".getBytes(StandardCharsets.UTF_8)));
        FunctionCode two = function(Map.of("index.py", code,
                "shapes/__init__.py", "import pkgutil\nVERSION = '2.0'\n"
                        + "def banner():\n    return pkgutil.get_data(__name__, 'banner.txt').decode()\n",
                "shapes/extra/__init__.py", "NAME = 'extra package of 2.0'\n"),
                Map.of("shapes/banner.txt", "banner 2".getBytes(StandardCharsets.UTF_8)));

        for (int round = 0; round < 2; round++) {
            assertThat(result(one)).isEqualTo("[\"1.0\",\"banner 1\",\"extra of 1.0\"]");
            assertThat(result(two)).isEqualTo("[\"2.0\",\"banner 2\",\"extra package of 2.0\"]");
        }
    }

    @Test
    void aFolderOfTheCodePutOnSysPathServesEachFunctionItsOwnModules() {
        String code = """
                import os
                import sys
                sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'vendor'))
                import plugin
                def main():
                    return [plugin.NAME, plugin.__file__]
                """;
        FunctionCode one = function(Map.of("index.py", code, "vendor/plugin.py", "NAME = 'one'\n"), Map.of());
        FunctionCode two = function(Map.of("index.py", code, "vendor/plugin.py", "NAME = 'two'\n"), Map.of());

        for (int round = 0; round < 2; round++) {
            assertThat(result(one)).isEqualTo("[\"one\",\"/code/vendor/plugin.py\"]");
            assertThat(result(two)).isEqualTo("[\"two\",\"/code/vendor/plugin.py\"]");
        }
    }

    @Test
    void zoneinfoFindsTimeZonesWithoutATzdataPackageAndInAVendoredOne() throws java.io.IOException {
        // The host's time zone data is shown read-only; PyPI's tzdata layout, vendored, works as well.
        java.nio.file.Path paris = java.nio.file.Path.of("/usr/share/zoneinfo/Europe/Paris");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(paris), "no host tzdata");
        String code = """
                import datetime
                import zoneinfo
                def main():
                    try:
                        zone = zoneinfo.ZoneInfo('Europe/Paris')
                    except zoneinfo.ZoneInfoNotFoundError:
                        return 'ZoneInfoNotFoundError'
                    return datetime.datetime(2025, 7, 1, 12, tzinfo=zone).isoformat()
                """;
        FunctionCode with = function(Map.of("index.py", code, "tzdata/__init__.py", "",
                "tzdata/zoneinfo/__init__.py", "", "tzdata/zoneinfo/Europe/__init__.py", ""),
                Map.of("tzdata/zoneinfo/Europe/Paris", java.nio.file.Files.readAllBytes(paris)));
        FunctionCode without = function(Map.of("index.py", code), Map.of());

        assertThat(result(without)).isEqualTo("\"2025-07-01T12:00:00+02:00\"");
        assertThat(result(with)).isEqualTo("\"2025-07-01T12:00:00+02:00\"");
    }
}
