package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.EdgeOneExamples;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Functions of several files (issue 11 §2): an entry file with helper modules and packages beside it, deployed as
 * a JSON map of files or as a zip, versioned together, the entry chosen by the handler setting or by convention.
 */
@IntegrationTest
class MultiFileFunctionTest {

    private static final String HELPERS = """
            def greeting(name):
                return "Hello, " + name
            """;
    private static final String UTIL = """
            from . import strings

            def shout(text):
                return strings.upper(text) + "!"
            """;
    private static final String STRINGS = """
            def upper(text):
                return text.upper()
            """;
    private static final String INDEX = """
            import helpers
            from lib.util import shout

            def main():
                return shout(helpers.greeting(request.get("name", "world")))
            """;

    @LocalServerPort
    int port;

    Functions functions;
    AdminApi owner;
    String base;
    FunctionUploads uploads;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        owner = functions.owner();
        base = functions.functionsPath();
        uploads = new FunctionUploads(port, owner);
    }

    private static Map<String, String> project(String index) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("index.py", index);
        files.put("helpers.py", HELPERS);
        files.put("lib/__init__.py", "");
        files.put("lib/util.py", UTIL);
        files.put("lib/strings.py", STRINGS);
        return files;
    }

    private String deployFiles(Map<String, ?> files, Map<String, Object> settings) {
        Map<String, Object> body = new LinkedHashMap<>(settings);
        body.putIfAbsent("name", "multi");
        body.put("files", files);
        return owner.post(base, body).expect(201).json().get("id").asString();
    }

    @Test
    void aFolderWithoutInitDoesNotHideTheStandardLibraryPackageOfItsName() {
        // email/ here is a namespace folder; http.server (of the class handler) imports the standard email package
        Map<String, String> files = new LinkedHashMap<>();
        files.put("index.py", EdgeOneExamples.HELLO_WORLD);
        files.put("email/send.py", "def send():\n    return 'sent'\n");
        String id = deployFiles(files, Map.of("name", "shadow"));

        assertThat(functions.call("GET", "/functions/" + id + "/invoke/", null, Map.of()).expect(200).body())
                .isEqualTo("Hello, world!");
    }

    // ---- deploying, and what the admin API shows ----

    @Test
    void aJsonMapOfFilesIsOneVersionWithTheEntryFileItsHandlerAndTheFileList() {
        JsonNode created = owner.post(base, Map.of("name", "multi", "files", project(INDEX))).expect(201).json();
        assertThat(created.get("deployed_version").asInt()).isEqualTo(1);
        assertThat(created.get("entry_file").asString()).isEqualTo("index.py");
        assertThat(created.get("entry_name").asString()).isEqualTo("main");
        assertThat(created.get("deployed_style").asString()).isEqualTo("main");
        assertThat(created.get("code").asString()).isEqualTo(INDEX);
        assertThat(names(created.get("files")))
                .containsExactly("helpers.py", "index.py", "lib/__init__.py", "lib/strings.py", "lib/util.py");

        JsonNode fetched = owner.get(base + "/multi").expect(200).json();
        assertThat(fetched.get("entry_file").asString()).isEqualTo("index.py");
        assertThat(names(fetched.get("files"))).hasSize(5);
    }

    @Test
    void withoutAHandlerTheEntryIsIndexPyThenMainPyThenTheOnlyPythonFileAtTheTop() {
        String both = deployFiles(Map.of("main.py", "def main():\n    return 'main'\n",
                "index.py", "def main():\n    return 'index'\n"), Map.of("name", "both"));
        assertThat(owner.get(base + "/" + both).json().get("entry_file").asString()).isEqualTo("index.py");

        String mainOnly = deployFiles(Map.of("main.py", "def main():\n    return 'main'\n", "util.py", "X = 1\n"),
                Map.of("name", "main-only"));
        assertThat(owner.get(base + "/" + mainOnly).json().get("entry_file").asString()).isEqualTo("main.py");

        String single = deployFiles(Map.of("app.py", "def main():\n    return 'app'\n", "lib/x.py", "X = 1\n",
                "README.md", "# docs\n"), Map.of("name", "single"));
        assertThat(owner.get(base + "/" + single).json().get("entry_file").asString()).isEqualTo("app.py");
    }

    @Test
    void severalTopLevelFilesAndNoConventionalNameAskForAHandler() {
        String detail = owner.post(base, Map.of("name", "unclear", "files", Map.of("a.py", "def main():\n    pass\n",
                "b.py", "def main():\n    pass\n"))).expect(400).json().get("detail").asString();
        assertThat(detail).contains("a.py, b.py").contains("handler");
    }

    @Test
    void theHandlerNamesTheEntryFileAndTheEntryPoint() {
        JsonNode created = owner.post(base, Map.of("name", "fc", "handler", "main.handler", "files", Map.of(
                "main.py", "import helpers\n\ndef handler(event, context):\n    return helpers.greeting('FC')\n",
                "helpers.py", HELPERS, "index.py", "def main():\n    return 'not me'\n"))).expect(201).json();
        assertThat(created.get("handler").asString()).isEqualTo("main.handler");
        assertThat(created.get("entry_file").asString()).isEqualTo("main.py");
        assertThat(created.get("entry_name").asString()).isEqualTo("handler");
        assertThat(created.get("deployed_style").asString()).isEqualTo("event");
    }

    @Test
    void aHandlerInAFolderNamesTheFileByItsPath() {
        JsonNode created = owner.post(base, Map.of("name", "nested", "handler", "api/main.handler", "files", Map.of(
                "api/main.py", "def handler(event, context):\n    return 'nested'\n", "api/__init__.py", "")))
                .expect(201).json();
        assertThat(created.get("entry_file").asString()).isEqualTo("api/main.py");
        assertThat(created.get("entry_name").asString()).isEqualTo("handler");
    }

    @Test
    void oneFileOfCodeWithAHandlerIsTheFileTheHandlerNames() {
        JsonNode created = owner.post(base, Map.of("name", "one", "handler", "index.handler",
                "code", "def handler(event, context):\n    return 'one'\n")).expect(201).json();
        assertThat(created.get("entry_file").asString()).isEqualTo("index.py");
        assertThat(names(created.get("files"))).containsExactly("index.py");

        JsonNode plain = owner.post(base, Map.of("name", "plain", "code", "def main():\n    return 1\n"))
                .expect(201).json();
        assertThat(plain.get("entry_file").asString()).isEqualTo("plain.py");
    }

    @Test
    void aZipUploadIsAFunctionAndItsSingleTopFolderIsDropped() {
        Map<String, String> zipped = new LinkedHashMap<>();
        project(INDEX).forEach((path, text) -> zipped.put("hello/" + path, text));
        JsonNode created = uploads.create(base, FunctionUploads.zip(zipped), Map.of("name", "zipped",
                "timeout_s", "5")).expect(201).json();
        assertThat(created.get("timeout_s").asInt()).isEqualTo(5);
        assertThat(created.get("entry_file").asString()).isEqualTo("index.py");
        assertThat(names(created.get("files")))
                .containsExactly("helpers.py", "index.py", "lib/__init__.py", "lib/strings.py", "lib/util.py");
    }

    @Test
    void aZipKeepsItsTopFolderWhenTheHandlerNamesAFileInIt() {
        byte[] zip = FunctionUploads.zip(Map.of("api/main.py", "def handler(event, context):\n    return 1\n",
                "api/util.py", "X = 1\n"));
        JsonNode created = uploads.create(base, zip, Map.of("name", "api", "handler", "api/main.handler"))
                .expect(201).json();
        assertThat(created.get("entry_file").asString()).isEqualTo("api/main.py");
        assertThat(names(created.get("files"))).containsExactly("api/main.py", "api/util.py");
    }

    @Test
    void leftoversOfEditorsAndArchiversInAZipAreLeftOut() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("index.py", "def main():\n    return 1\n".getBytes());
        entries.put("lib/", new byte[0]);
        entries.put("lib/util.py", "X = 1\n".getBytes());
        entries.put("__pycache__/index.cpython-312.pyc", new byte[] {0x55, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0});
        entries.put("lib/__pycache__/util.cpython-312.pyc", new byte[] {0, 1, 2});
        entries.put(".git/HEAD", "ref: refs/heads/main\n".getBytes());
        entries.put(".DS_Store", new byte[] {0, 0, 0, 1});
        entries.put("__MACOSX/._index.py", new byte[] {0, 5, 22, 7});
        JsonNode created = uploads.create(base, FunctionUploads.zipBytes(entries), Map.of("name", "tidy"))
                .expect(201).json();
        assertThat(names(created.get("files"))).containsExactly("index.py", "lib/util.py");
    }

    @Test
    void aSyntaxErrorInTheEntryFileNamesTheFileAndLine() {
        String detail = owner.post(base, Map.of("name", "broken", "files", Map.of(
                "index.py", "def main():\n    return (\n\nx = 1\n", "helpers.py", HELPERS))).expect(400).json()
                .get("detail").asString();
        assertThat(detail).contains("SyntaxError").contains("index.py").containsPattern("line \\d+");
    }

    /** Needs helper R's PythonRuntime.check, which compiles every file of a version. */
    @Test
    void aSyntaxErrorInAHelperModuleNamesThatFileAndLine() {
        String detail = owner.post(base, Map.of("name", "broken-helper", "files", Map.of(
                "index.py", INDEX, "helpers.py", HELPERS, "lib/__init__.py", "", "lib/strings.py", STRINGS,
                "lib/util.py", "def shout(text):\n    return text +\n"))).expect(400).json().get("detail").asString();
        assertThat(detail).contains("SyntaxError").contains("lib/util.py").contains("line 2");
        assertThat(owner.get(base).expect(200).json().size()).isZero();
    }

    @Test
    void aHandlerNamingAFileThatIsNotThereIsRefusedNamingIt() {
        String detail = owner.post(base, Map.of("name", "missing", "handler", "app.handler", "files", Map.of(
                "index.py", "def main():\n    return 1\n"))).expect(400).json().get("detail").asString();
        assertThat(detail).contains("app.py").contains("index.py");
        assertThat(owner.post(base, Map.of("name", "bad-handler", "handler", "index",
                "code", "def main():\n    return 1\n")).expect(400).json().get("detail").asString())
                .contains("file.method");
    }

    @Test
    void anEntryFileWithoutAnEntryPointIsRefusedNamingTheFile() {
        String detail = owner.post(base, Map.of("name", "no-entry", "files", Map.of("index.py", "import helpers\n",
                "helpers.py", HELPERS))).expect(400).json().get("detail").asString();
        assertThat(detail).contains("No entry point").contains("index.py");
    }

    // ---- versions ----

    @Test
    void everyUploadIsANewVersionWithItsOwnFilesAndRollbackRestoresTheOldFileSet() {
        String id = deployFiles(Map.of("index.py", "def main():\n    return 'v1'\n", "one.py", "ONE = 1\n"), Map.of());
        uploads.replace(base + "/" + id, FunctionUploads.zip(Map.of("index.py", "def main():\n    return 'v2'\n",
                "two.py", "TWO = 2\n", "pkg/__init__.py", "")), "").expect(200);

        JsonNode versions = owner.get(base + "/" + id + "/versions").expect(200).json();
        assertThat(versions.size()).isEqualTo(2);
        assertThat(names(versions.get(0).get("files"))).containsExactly("index.py", "pkg/__init__.py", "two.py");
        assertThat(versions.get(0).get("entry_file").asString()).isEqualTo("index.py");
        assertThat(names(versions.get(1).get("files"))).containsExactly("index.py", "one.py");
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("v2");

        JsonNode first = owner.get(base + "/" + id + "/versions/1").expect(200).json();
        assertThat(first.get("files").get("one.py").asString()).isEqualTo("ONE = 1\n");
        assertThat(first.get("files").get("index.py").asString()).isEqualTo("def main():\n    return 'v1'\n");
        assertThat(first.get("deployed").asBoolean()).isFalse();
        owner.get(base + "/" + id + "/versions/3").expect(404);

        JsonNode rolledBack = owner.post(base + "/" + id + "/versions/1/deploy", null).expect(200).json();
        assertThat(names(rolledBack.get("files"))).containsExactly("index.py", "one.py");
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("v1");
    }

    @Test
    void newCodeReplacesTheEntryFileAndKeepsTheOtherFiles() {
        String id = deployFiles(project(INDEX), Map.of());
        JsonNode updated = owner.patch(base + "/" + id, Map.of("code", "def main():\n    return 'replaced'\n"))
                .expect(200).json();
        assertThat(updated.get("deployed_version").asInt()).isEqualTo(2);
        assertThat(updated.get("entry_file").asString()).isEqualTo("index.py");
        assertThat(names(updated.get("files"))).hasSize(5);
        JsonNode second = owner.get(base + "/" + id + "/versions/2").expect(200).json();
        assertThat(second.get("files").get("index.py").asString()).isEqualTo("def main():\n    return 'replaced'\n");
        assertThat(second.get("files").get("helpers.py").asString()).isEqualTo(HELPERS);
    }

    @Test
    void newFilesReplaceAllTheFiles() {
        String id = deployFiles(project(INDEX), Map.of());
        JsonNode updated = owner.patch(base + "/" + id, Map.of("files", Map.of("main.py",
                "def main():\n    return 'alone'\n"))).expect(200).json();
        assertThat(updated.get("entry_file").asString()).isEqualTo("main.py");
        assertThat(names(updated.get("files"))).containsExactly("main.py");
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("alone");
    }

    @Test
    void aZipReplacingTheFilesMayNameANewHandler() {
        String id = deployFiles(Map.of("index.py", "def main():\n    return 1\n"), Map.of());
        JsonNode updated = uploads.replace(base + "/" + id, FunctionUploads.zip(Map.of("src/app.py",
                "def handler(event, context):\n    return 'fc'\n", "src/util.py", "X = 1\n")),
                "handler=src/app.handler").expect(200).json();
        assertThat(updated.get("handler").asString()).isEqualTo("src/app.handler");
        assertThat(updated.get("entry_file").asString()).isEqualTo("src/app.py");
        assertThat(updated.get("deployed_version").asInt()).isEqualTo(2);
    }

    @Test
    void anEmptyHandlerClearsTheSettingAndTheEntryIsFoundByConventionAgain() {
        String id = deployFiles(Map.of("main.py", "def handler(event, context):\n    return 'fc'\n",
                "index.py", "def main():\n    return 'index'\n"), Map.of("handler", "main.handler"));
        JsonNode updated = owner.patch(base + "/" + id, Map.of("handler", "")).expect(200).json();
        assertThat(updated.get("handler").isNull()).isTrue();
        assertThat(updated.get("entry_file").asString()).isEqualTo("index.py");
        assertThat(updated.get("deployed_version").asInt()).isEqualTo(2);
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("index");
    }

    @Test
    void aViewerReadsVersionFilesButCannotUploadOne() {
        String id = deployFiles(project(INDEX), Map.of());
        AdminApi viewer = AdminApi.newAccount(port);
        owner.addMember(functions.projectId(), viewer, "viewer");
        viewer.get(base + "/" + id + "/versions/1").expect(200);
        new FunctionUploads(port, viewer).replace(base + "/" + id, FunctionUploads.zip(project(INDEX)), "")
                .expect(403);
        new FunctionUploads(port, viewer).create(base, FunctionUploads.zip(project(INDEX)), Map.of("name", "v"))
                .expect(403);
    }

    @Test
    void anotherProjectsMemberCannotReadAVersionsFiles() {
        String id = deployFiles(project(INDEX), Map.of());
        Functions other = Functions.inNewProject(port);
        other.owner().get(base + "/" + id + "/versions/1").expect(404);
        other.owner().get(other.functionsPath() + "/" + id + "/versions/1").expect(404);
    }

    // ---- running: helper modules import as in any Python project (needs helper R's runtime) ----

    @Test
    void helperModulesAndPackagesImportFromTheEntryFile() {
        String id = deployFiles(project(INDEX), Map.of());
        assertThat(functions.get(id, "name=Ada").expect(200).json().get("result").asString())
                .isEqualTo("HELLO, ADA!");
    }

    @Test
    void aZippedFunctionRunsWithItsHelpers() {
        Map<String, String> zipped = new LinkedHashMap<>();
        project(INDEX).forEach((path, text) -> zipped.put("hello/" + path, text));
        String id = uploads.create(base, FunctionUploads.zip(zipped), Map.of("name", "zip-run")).expect(201).json()
                .get("id").asString();
        assertThat(functions.get(id, "name=zip").expect(200).json().get("result").asString())
                .isEqualTo("HELLO, ZIP!");
    }

    @Test
    void theHandlersFileAndMethodAreWhatRuns() {
        String id = deployFiles(Map.of("main.py", "import helpers\n\ndef handler(event, context):\n"
                + "    return helpers.greeting('FC')\n", "helpers.py", HELPERS,
                "index.py", "def main():\n    return 'not me'\n"), Map.of("handler", "main.handler"));
        AdminApi.Response response = functions.get(id, "");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello, FC");
    }

    @Test
    void rollbackRunsTheOldVersionsHelperModules() {
        String entry = "from lib.version import NAME\n\ndef main():\n    return NAME\n";
        String id = deployFiles(Map.of("index.py", entry, "lib/__init__.py", "", "lib/version.py",
                "NAME = 'one'\n"), Map.of());
        owner.patch(base + "/" + id, Map.of("files", Map.of("index.py", entry, "lib/__init__.py", "",
                "lib/version.py", "NAME = 'two'\n"))).expect(200);
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("two");
        owner.post(base + "/" + id + "/versions/1/deploy", null).expect(200);
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).isEqualTo("one");
    }

    private static List<String> names(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
