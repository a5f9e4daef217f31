package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * A project's package layer (issue 12 §1): pure-Python distributions uploaded once through the admin API and
 * importable by every function and site route of the project, without a redeploy; a version that vendors its own
 * copy keeps it; nothing of the layer reaches another project. The package is written here: {@code greeter}, a
 * module with a dist-info, as pip install -t leaves it.
 */
@IntegrationTest
class ProjectPackagesTest {

    /** A function that answers what the layer's greeter says. */
    private static final String GREETING_FUNCTION = """
            import greeter

            def main():
                return greeter.hello("Ada")
            """;

    @LocalServerPort
    int port;

    Functions functions;
    AdminApi owner;
    FunctionUploads uploads;
    String packagesPath;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        owner = functions.owner();
        uploads = new FunctionUploads(port, owner);
        packagesPath = API + "/projects/" + functions.projectId() + "/packages";
    }

    /** greeter as pip install -t leaves it: the package and its dist-info folder. */
    private static Map<String, byte[]> greeter(String version) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("greeter/__init__.py", bytes("VERSION = '" + version + "'\n\n"
                + "def hello(name):\n    return 'Hello, ' + name + ' (greeter ' + VERSION + ')'\n"));
        files.put("greeter/data/motto.txt", bytes("shared by the project\n"));
        files.put("greeter-" + version + ".dist-info/METADATA", bytes("Metadata-Version: 2.1\nName: greeter\n"
                + "Version: " + version + "\nSummary: says hello\n"));
        files.put("greeter-" + version + ".dist-info/top_level.txt", bytes("greeter\n"));
        files.put("greeter-" + version + ".dist-info/RECORD", bytes("greeter/__init__.py,,\n"
                + "greeter/data/motto.txt,,\ngreeter-" + version + ".dist-info/METADATA,,\n"));
        return files;
    }

    private AdminApi.Response upload(AdminApi caller, byte[] zip) {
        return new FunctionUploads(port, caller).send("POST", packagesPath, zip, "application/zip");
    }

    private JsonNode uploaded(byte[] zip) {
        return upload(owner, zip).expect(201).json();
    }

    private String greeting(String functionId) {
        return functions.get(functionId, "").expect(200).json().get("result").asString();
    }

    @Test
    void aFunctionImportsAnUploadedPackage() {
        uploaded(FunctionUploads.zipBytes(greeter("1.0")));
        String id = functions.deploy(GREETING_FUNCTION);

        assertThat(greeting(id)).isEqualTo("Hello, Ada (greeter 1.0)");
    }

    @Test
    void thePackagesDataFilesAreReadableUnderPythonPackages() {
        uploaded(FunctionUploads.zipBytes(greeter("1.0")));
        String id = functions.deploy("""
                import os, greeter

                def main():
                    with open(os.path.join(os.path.dirname(greeter.__file__), 'data', 'motto.txt')) as f:
                        return [greeter.__file__, f.read().strip()]
                """);

        JsonNode result = functions.get(id, "").expect(200).json().get("result");
        assertThat(result.get(0).asString()).isEqualTo("/code/python_packages/greeter/__init__.py");
        assertThat(result.get(1).asString()).isEqualTo("shared by the project");
    }

    @Test
    void aSiteRouteImportsTheLayer() {
        uploaded(FunctionUploads.zipBytes(greeter("1.0")));
        SiteDeploys site = new SiteDeploys(port, owner, functions.projectId());
        site.deploy(SiteDeploys.files("cloud-functions/api/hello.py", """
                import greeter

                def handle(req):
                    return {"status_code": 200, "body": greeter.hello("site")}
                """));

        assertThat(site.get("/api/hello").expect(200).body()).isEqualTo("Hello, site (greeter 1.0)");
    }

    @Test
    void aSingleWheelIsTakenAsTheBody() {
        JsonNode stored = uploaded(FunctionUploads.zipBytes(greeter("1.3")));

        assertThat(stored.size()).isEqualTo(1);
        assertThat(stored.get(0).get("name").asString()).isEqualTo("greeter");
        assertThat(stored.get(0).get("version").asString()).isEqualTo("1.3");
    }

    @Test
    void aWheelInTheMultipartFieldFileIsTaken() {
        String boundary = "----cococloud-layer";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
                + " filename=\"greeter-1.1-py3-none-any.whl\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(FunctionUploads.zipBytes(greeter("1.1")));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

        uploads.send("POST", packagesPath, body.toByteArray(), "multipart/form-data; boundary=" + boundary)
                .expect(201);

        assertThat(greeting(functions.deploy(GREETING_FUNCTION))).isEqualTo("Hello, Ada (greeter 1.1)");
    }

    @Test
    void theWholeLayerHoldsAtMost20000Files() {
        uploaded(FunctionUploads.zipBytes(manyFiles("first", 10_000)));

        String detail = upload(owner, FunctionUploads.zipBytes(manyFiles("second", 10_001))).expect(400).json()
                .get("detail").asString();

        assertThat(detail).contains("20000 files per project");
        assertThat(owner.get(packagesPath).expect(200).json().size()).as("the first only").isEqualTo(1);
    }

    /** A distribution of {@code count} files in all, its metadata included. */
    private static Map<String, byte[]> manyFiles(String name, int count) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(name + "-1.0.dist-info/METADATA", bytes("Name: " + name + "\nVersion: 1.0\n"));
        files.put(name + "-1.0.dist-info/top_level.txt", bytes(name + "\n"));
        files.put(name + "/__init__.py", bytes(""));
        for (int i = 3; i < count; i++) {
            files.put(name + "/data/" + i + ".txt", bytes("x"));
        }
        return files;
    }

    @Test
    void wheelsInsideTheZipAreUnpacked() {
        Map<String, byte[]> zip = Map.of("greeter-2.0-py3-none-any.whl", FunctionUploads.zipBytes(greeter("2.0")));
        uploaded(FunctionUploads.zipBytes(zip));

        assertThat(greeting(functions.deploy(GREETING_FUNCTION))).isEqualTo("Hello, Ada (greeter 2.0)");
    }

    @Test
    void theListAndOneDistributionDescribeWhatIsStored() {
        uploaded(FunctionUploads.zipBytes(greeter("1.0")));

        JsonNode list = owner.get(packagesPath).expect(200).json();
        assertThat(list.size()).isEqualTo(1);
        JsonNode greeter = list.get(0);
        assertThat(greeter.get("name").asString()).isEqualTo("greeter");
        assertThat(greeter.get("version").asString()).isEqualTo("1.0");
        assertThat(greeter.get("top_level").get(0).asString()).isEqualTo("greeter");
        assertThat(greeter.get("files").asInt()).isEqualTo(5);
        assertThat(greeter.get("bytes").asLong()).isEqualTo(greeter("1.0").values().stream()
                .mapToLong(b -> b.length).sum());
        assertThat(greeter.get("uploaded_at").asString()).isNotEmpty();
        assertThat(greeter.get("uploaded_by").asString()).isNotEmpty();

        JsonNode one = owner.get(packagesPath + "/Greeter").expect(200).json();
        List<String> paths = new ArrayList<>();
        one.get("file_list").forEach(f -> paths.add(f.get("path").asString()));
        assertThat(paths).containsExactly("greeter-1.0.dist-info/METADATA", "greeter-1.0.dist-info/RECORD",
                "greeter-1.0.dist-info/top_level.txt", "greeter/__init__.py", "greeter/data/motto.txt");
        owner.get(packagesPath + "/nothing-here").expect(404);
    }

    @Test
    void afterADeleteTheImportFailsWithModuleNotFoundError() {
        uploaded(FunctionUploads.zipBytes(greeter("1.0")));
        String id = functions.deploy(GREETING_FUNCTION);
        assertThat(greeting(id)).isEqualTo("Hello, Ada (greeter 1.0)");

        owner.delete(packagesPath + "/greeter").expect(204);

        JsonNode answer = functions.get(id, "").expect(500).json();
        assertThat(answer.get("error").asString()).isEqualTo("ModuleNotFoundError: No module named 'greeter'");
        owner.get(packagesPath + "/greeter").expect(404);
        owner.delete(packagesPath + "/greeter").expect(404);
    }

    @Test
    void aNewVersionReplacesTheOldOneOnTheNextCall() {
        uploaded(FunctionUploads.zipBytes(greeter("1.0")));
        String id = functions.deploy(GREETING_FUNCTION);
        assertThat(greeting(id)).isEqualTo("Hello, Ada (greeter 1.0)");

        uploaded(FunctionUploads.zipBytes(greeter("2.0")));

        assertThat(greeting(id)).isEqualTo("Hello, Ada (greeter 2.0)");
        JsonNode list = owner.get(packagesPath).expect(200).json();
        assertThat(list.size()).isEqualTo(1);
        assertThat(list.get(0).get("version").asString()).isEqualTo("2.0");
        assertThat(functions.get(id, "").expect(200).json().get("result").asString()).contains("2.0");
    }

    @Test
    void aFunctionVendoringItsOwnCopyKeepsIt() {
        uploaded(FunctionUploads.zipBytes(greeter("1.0")));
        Map<String, byte[]> files = new LinkedHashMap<>(greeter("0.9-own"));
        files.put("index.py", bytes("""
                import os, greeter

                def main():
                    return [greeter.hello("Ada"), os.path.exists('/code/python_packages/greeter/__init__.py')]
                """));
        String id = uploads.create(functions.functionsPath(), FunctionUploads.zipBytes(files), Map.of("name", "own"))
                .expect(201).json().get("id").asString();

        JsonNode result = functions.get(id, "").expect(200).json().get("result");
        assertThat(result.get(0).asString()).isEqualTo("Hello, Ada (greeter 0.9-own)");
        assertThat(result.get(1).asBoolean()).as("the layer's copy is left out for this version").isFalse();
    }

    @Test
    void requirementsTxtCountsTheLayersDistributionsAsVendored() {
        Map<String, byte[]> files = Map.of("index.py", bytes(GREETING_FUNCTION),
                "requirements.txt", bytes("greeter>=1.0\n"));
        String refused = uploads.create(functions.functionsPath(), FunctionUploads.zipBytes(files),
                Map.of("name", "needs")).expect(400).json().get("detail").asString();
        assertThat(refused).contains("greeter>=1.0");

        uploaded(FunctionUploads.zipBytes(greeter("1.2")));

        String id = uploads.create(functions.functionsPath(), FunctionUploads.zipBytes(files),
                Map.of("name", "needs")).expect(201).json().get("id").asString();
        assertThat(greeting(id)).isEqualTo("Hello, Ada (greeter 1.2)");
    }

    @Test
    void aNativeExtensionIsRefusedNamingItAndItsPackage() {
        Map<String, byte[]> files = new LinkedHashMap<>(greeter("1.0"));
        files.put("greeter/_speedups.cpython-311-x86_64-linux-gnu.so", new byte[] {0x7f, 'E', 'L', 'F', 0});

        String detail = upload(owner, FunctionUploads.zipBytes(files)).expect(400).json().get("detail").asString();

        assertThat(detail).contains("greeter/_speedups.cpython-311-x86_64-linux-gnu.so", "'greeter'");
        assertThat(owner.get(packagesPath).expect(200).json().size()).as("nothing stored").isZero();
    }

    @Test
    void aFileOfNoDistributionIsRefusedNamingIt() {
        Map<String, byte[]> files = new LinkedHashMap<>(greeter("1.0"));
        files.put("loose.py", bytes("X = 1\n"));

        String detail = upload(owner, FunctionUploads.zipBytes(files)).expect(400).json().get("detail").asString();

        assertThat(detail).contains("'loose.py'", "no distribution");
    }

    @Test
    void aFileAnotherStoredDistributionOwnsIsAConflict() {
        uploaded(FunctionUploads.zipBytes(greeter("1.0")));
        Map<String, byte[]> impostor = new LinkedHashMap<>();
        impostor.put("greeter/__init__.py", bytes("def hello(name):\n    return 'hijacked'\n"));
        impostor.put("impostor-1.0.dist-info/METADATA", bytes("Name: impostor\nVersion: 1.0\n"));
        impostor.put("impostor-1.0.dist-info/top_level.txt", bytes("greeter\n"));

        String detail = upload(owner, FunctionUploads.zipBytes(impostor)).expect(409).json().get("detail")
                .asString();

        assertThat(detail).contains("greeter/__init__.py", "'greeter'");
    }

    @Test
    void anotherProjectCannotSeeOrUseTheLayer() {
        uploaded(FunctionUploads.zipBytes(greeter("1.0")));
        Functions other = Functions.inNewProject(port);

        other.owner().get(packagesPath).expect(404);
        other.owner().get(packagesPath + "/greeter").expect(404);
        other.owner().delete(packagesPath + "/greeter").expect(404);
        new FunctionUploads(port, other.owner()).send("POST", packagesPath, FunctionUploads.zipBytes(greeter("6.6")),
                "application/zip").expect(404);
        assertThat(other.owner().get(API + "/projects/" + other.projectId() + "/packages").expect(200).json().size())
                .isZero();
        JsonNode answer = other.get(other.deploy(GREETING_FUNCTION), "").expect(500).json();
        assertThat(answer.get("error").asString()).isEqualTo("ModuleNotFoundError: No module named 'greeter'");
        assertThat(greeting(functions.deploy(GREETING_FUNCTION))).isEqualTo("Hello, Ada (greeter 1.0)");
    }

    @Test
    void aViewerReadsTheLayerButCannotChangeIt() {
        uploaded(FunctionUploads.zipBytes(greeter("1.0")));
        AdminApi viewer = AdminApi.newAccount(port);
        owner.addMember(functions.projectId(), viewer, "viewer");

        viewer.get(packagesPath).expect(200);
        viewer.get(packagesPath + "/greeter").expect(200);
        upload(viewer, FunctionUploads.zipBytes(greeter("2.0"))).expect(403);
        viewer.delete(packagesPath + "/greeter").expect(403);
        assertThat(owner.get(packagesPath).expect(200).json().get(0).get("version").asString()).isEqualTo("1.0");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
