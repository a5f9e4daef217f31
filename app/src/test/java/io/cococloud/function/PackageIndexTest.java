package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * With the operator's package sources configured, a deploy resolves what requirements.txt names and nothing
 * vendors: from a wheelhouse folder this test fills with wheels it builds, and from a PEP 503 index it serves
 * with the JDK's HTTP server (project pages with {@code #sha256=} links, files counted as they are downloaded).
 * The server has both, as an operator may configure them. The resolved packages import at the function's URL.
 */
@IntegrationTest
@DirtiesContext // a server of its own (the package settings): closed after this class, not kept beside the shared one
class PackageIndexTest {

    private static final Path WHEELHOUSE;
    private static final HttpServer INDEX;
    /** Requests the index served, by path. */
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    /** The files the index serves, by path. */
    private static final Map<String, byte[]> INDEX_FILES = new ConcurrentHashMap<>();

    static {
        try {
            WHEELHOUSE = Files.createTempDirectory("cococloud-wheelhouse-");
            Files.write(WHEELHOUSE.resolve("housepkg-1.0-py3-none-any.whl"), wheel("housepkg", "1.0",
                    "from housedep import word\n\ndef hello():\n    return 'housepkg 1.0 with ' + word()\n",
                    "housedep>=1.0"));
            Files.write(WHEELHOUSE.resolve("housepkg-0.5-py3-none-any.whl"), wheel("housepkg", "0.5",
                    "def hello():\n    return 'housepkg 0.5'\n"));
            Files.write(WHEELHOUSE.resolve("housedep-1.0-py3-none-any.whl"), wheel("housedep", "1.0",
                    "def word():\n    return 'housedep 1.0'\n"));
            Files.writeString(WHEELHOUSE.resolve("README.txt"), "not a distribution\n");
            INDEX = index();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void packageSources(DynamicPropertyRegistry properties) {
        properties.add("coco.packages.wheelhouse", WHEELHOUSE::toString);
        properties.add("coco.packages.index-url",
                () -> "http://127.0.0.1:" + INDEX.getAddress().getPort() + "/simple/");
    }

    @AfterAll
    static void stopIndex() {
        INDEX.stop(0);
    }

    @LocalServerPort
    int port;

    Functions functions;
    AdminApi owner;
    String base;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        owner = functions.owner();
        base = functions.functionsPath();
    }

    @Test
    void aWheelhouseResolvesARequirementAndItsDependency() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("index.py", bytes("import housepkg\n\ndef main():\n    return housepkg.hello()\n"));
        files.put("requirements.txt", bytes("housepkg==1.0\n"));

        JsonNode created = new FunctionUploads(port, owner).create(base, FunctionUploads.zipBytes(files),
                Map.of("name", "house")).expect(201).json();

        assertThat(resolved(created.get("resolved_packages"))).containsExactly(
                "housepkg 1.0 wheelhouse/housepkg-1.0-py3-none-any.whl requirements.txt",
                "housedep 1.0 wheelhouse/housedep-1.0-py3-none-any.whl housepkg 1.0");
        String id = created.get("id").asString();
        JsonNode version = owner.get(base + "/" + id + "/versions/1").expect(200).json();
        assertThat(version.get("files").has("python_packages/housepkg/__init__.py")).isTrue();
        assertThat(resolved(version.get("resolved_packages"))).hasSize(2);
        assertThat(functions.get(id, "").expect(200).json().get("result").asString())
                .isEqualTo("housepkg 1.0 with housedep 1.0");
    }

    @Test
    void aPep503IndexResolvesARequirementAndItsDependency() {
        String id = deployed("indexpkg==1.0\n", "import indexpkg\n\ndef main():\n    return indexpkg.hello()\n");

        JsonNode function = owner.get(base + "/" + id).expect(200).json();
        String files = "http://127.0.0.1:" + INDEX.getAddress().getPort() + "/files/";
        assertThat(resolved(function.get("resolved_packages"))).containsExactly(
                "indexpkg 1.0 " + files + "indexpkg-1.0-py3-none-any.whl requirements.txt",
                "indexdep 2.0 " + files + "indexdep-2.0-py2.py3-none-any.whl indexpkg 1.0");
        assertThat(function.get("resolved_packages").get(0).get("sha256").asString())
                .isEqualTo(sha256(INDEX_FILES.get("/files/indexpkg-1.0-py3-none-any.whl")));
        assertThat(functions.get(id, "").expect(200).json().get("result").asString())
                .isEqualTo("indexpkg 1.0 with indexdep 2.0");
    }

    @Test
    void dependenciesForOtherPlatformsAndExtrasAreLeftOutAndMarkersNotEvaluatedAreNoted() {
        String id = deployed("indexpkg==1.0\n", "def main():\n    return 1\n");

        JsonNode function = owner.get(base + "/" + id).expect(200).json();
        assertThat(resolved(function.get("resolved_packages"))).noneMatch(r -> r.startsWith("pywin32")
                || r.startsWith("testonly") || r.startsWith("oddity"));
        assertThat(function.get("resolve_notes").toString()).contains("oddity").contains("indexpkg 1.0")
                .doesNotContain("pywin32").doesNotContain("testonly");
        assertThat(REQUESTS).doesNotContainKeys("/simple/pywin32/", "/simple/testonly/", "/simple/oddity/");
    }

    @Test
    void theNewestVersionThatMeetsTheSpecifierAndRunsInTheSandboxIsChosen() {
        // 2.0 has only a platform wheel and an sdist, 1.5 wants Python 3.13, 1.8rc1 is a pre-release, 1.2 is yanked
        String id = deployed("choosy>=1.0\n", "def main():\n    return 1\n");

        assertThat(resolved(owner.get(base + "/" + id).expect(200).json().get("resolved_packages")))
                .singleElement().asString().startsWith("choosy 1.1 ");
    }

    @Test
    void aVersionMadeFromTheDeployedOneKeepsItsResolvedPackages() {
        String id = deployed("indexpkg==1.0\n", "import indexpkg\n\ndef main():\n    return indexpkg.hello()\n");

        owner.patch(base + "/" + id, Map.of("code", "import indexpkg\n\ndef main():\n    return 'v2: ' + indexpkg.hello()\n"))
                .expect(200);

        JsonNode second = owner.get(base + "/" + id + "/versions/2").expect(200).json();
        assertThat(resolved(second.get("resolved_packages"))).hasSize(2).first().asString()
                .startsWith("indexpkg 1.0 ");
        assertThat(functions.get(id, "").expect(200).json().get("result").asString())
                .isEqualTo("v2: indexpkg 1.0 with indexdep 2.0");
    }

    @Test
    void aRedeployDownloadsNoWheelAgain() {
        deployed("indexpkg==1.0\n", "def main():\n    return 1\n");
        int downloads = downloads("/files/indexpkg-1.0-py3-none-any.whl") + downloads("/files/indexdep-2.0-py2.py3-none-any.whl");
        assertThat(downloads).isPositive();

        deployed("indexpkg==1.0\n", "def main():\n    return 2\n");

        assertThat(downloads("/files/indexpkg-1.0-py3-none-any.whl")
                + downloads("/files/indexdep-2.0-py2.py3-none-any.whl")).isEqualTo(downloads);
    }

    @Test
    void aWheelWhoseSha256IsNotTheIndexsIsRefused() {
        String detail = refused("badhash==1.0\n");

        assertThat(detail).contains("'badhash==1.0'").contains("badhash-1.0-py3-none-any.whl")
                .contains("sha256").contains(sha256(bytes("not the wheel")));
    }

    @Test
    void aSpecifierNoVersionMeetsIsRefusedNamingIt() {
        String detail = refused("indexpkg>=5\n");

        assertThat(detail).contains("'indexpkg>=5'").contains("1.1, 1.0, 0.9");
    }

    @Test
    void aDistributionWithOnlyPlatformWheelsAndAnSdistIsRefusedNamingIt() {
        String detail = refused("nativeonly\n");

        assertThat(detail).contains("'nativeonly'").contains("pure-Python")
                .contains("nativeonly-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")
                .contains("nativeonly-1.0.tar.gz");
    }

    @Test
    void aNativeExtensionInAResolvedWheelIsRefusedNamingTheFileAndItsPackage() {
        String detail = refused("sneaky\n");

        assertThat(detail).contains("'python_packages/sneaky/_speedups.cpython-312-x86_64-linux-gnu.so'")
                .contains("native extension").contains("'sneaky'");
    }

    @Test
    void anIndexThatFailsToAnswerIsA502NamingIt() {
        AdminApi.Response response = owner.post(base, Map.of("name", "broken", "files", Map.of("index.py",
                "def main():\n    return 1\n", "requirements.txt", "broken\n")));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().get("type").asString()).isEqualTo("urn:cococloud:problem:bad-gateway");
        assertThat(response.json().get("detail").asString()).contains("'broken'").contains("answered 500");
        assertThat(owner.get(base).expect(200).json().size()).as("nothing stored").isZero();
    }

    @Test
    void aNameNoSourceKnowsIsRefusedNamingIt() {
        String detail = refused("housepkg==1.0\nnowhere>=1\n");

        assertThat(detail).contains("'nowhere>=1'").contains("no distribution named nowhere");
    }

    private String deployed(String requirements, String index) {
        return owner.post(base, Map.of("name", "fn_" + java.util.UUID.randomUUID().toString().substring(0, 8), "files",
                Map.of("index.py", index, "requirements.txt", requirements))).expect(201).json().get("id")
                .asString();
    }

    private String refused(String requirements) {
        String detail = owner.post(base, Map.of("name", "refused", "files", Map.of("index.py",
                "def main():\n    return 1\n", "requirements.txt", requirements))).expect(400).json().get("detail")
                .asString();
        assertThat(owner.get(base).expect(200).json().size()).as("nothing stored").isZero();
        return detail;
    }

    private static int downloads(String path) {
        return REQUESTS.getOrDefault(path, new AtomicInteger()).get();
    }

    private static List<String> resolved(JsonNode packages) {
        List<String> lines = new java.util.ArrayList<>();
        packages.forEach(p -> lines.add(p.get("name").asString() + " " + p.get("version").asString() + " "
                + p.get("source").asString() + " " + p.get("required_by").asString()));
        return lines;
    }

    /**
     * A PEP 503 index: {@code /simple/} lists the projects, {@code /simple/<name>/} a project's files with their
     * sha256 in the link's fragment, {@code /files/...} the files; anything else is 404.
     */
    private static HttpServer index() throws IOException {
        Map<String, List<String>> projects = new LinkedHashMap<>();
        file(projects, "indexpkg", "indexpkg-0.9-py3-none-any.whl",
                wheel("indexpkg", "0.9", "def hello():\n    return 'indexpkg 0.9'\n"), "");
        file(projects, "indexpkg", "indexpkg-1.0-py3-none-any.whl", wheel("indexpkg", "1.0",
                "from indexdep import word\n\ndef hello():\n    return 'indexpkg 1.0 with ' + word()\n",
                "indexdep (>=1.0)", "pywin32 ; sys_platform == \"win32\"", "testonly ; extra == 'test'",
                "oddity ; platform_release >= \"5\""), "");
        file(projects, "indexpkg", "indexpkg-1.1-py3-none-any.whl",
                wheel("indexpkg", "1.1", "def hello():\n    return 'indexpkg 1.1'\n"), "");
        file(projects, "indexpkg", "indexpkg-1.1.tar.gz", bytes("an sdist"), "");
        file(projects, "indexdep", "indexdep-1.0-py3-none-any.whl",
                wheel("indexdep", "1.0", "def word():\n    return 'indexdep 1.0'\n"), "");
        file(projects, "indexdep", "indexdep-2.0-py2.py3-none-any.whl",
                wheel("indexdep", "2.0", "def word():\n    return 'indexdep 2.0'\n"), "");
        file(projects, "choosy", "choosy-1.0-py3-none-any.whl", wheel("choosy", "1.0", "V = '1.0'\n"), "");
        file(projects, "choosy", "choosy-1.1-py3-none-any.whl", wheel("choosy", "1.1", "V = '1.1'\n"), "");
        file(projects, "choosy", "choosy-1.2-py3-none-any.whl", wheel("choosy", "1.2", "V = '1.2'\n"),
                " data-yanked=\"broken\"");
        file(projects, "choosy", "choosy-1.5-py3-none-any.whl", wheel("choosy", "1.5", "V = '1.5'\n"),
                " data-requires-python=\"&gt;=3.13\"");
        file(projects, "choosy", "choosy-1.8rc1-py3-none-any.whl", wheel("choosy", "1.8rc1", "V = '1.8rc1'\n"), "");
        file(projects, "choosy", "choosy-2.0-cp312-cp312-manylinux_2_17_x86_64.whl", bytes("compiled"), "");
        file(projects, "choosy", "choosy-2.0.tar.gz", bytes("an sdist"), "");
        file(projects, "nativeonly", "nativeonly-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", bytes("compiled"), "");
        file(projects, "nativeonly", "nativeonly-1.0.tar.gz", bytes("an sdist"), "");
        // tagged pure, but carries compiled code
        file(projects, "sneaky", "sneaky-1.0-py3-none-any.whl", wheel("sneaky", "1.0", "X = 1\n",
                Map.of("sneaky/_speedups.cpython-312-x86_64-linux-gnu.so", "\u007fELF")), "");
        // the link states the hash of other bytes than the file has
        INDEX_FILES.put("/files/badhash-1.0-py3-none-any.whl",
                wheel("badhash", "1.0", "def hello():\n    return 'tampered'\n"));
        projects.computeIfAbsent("badhash", p -> new java.util.ArrayList<>()).add("<a href=\"../../files/"
                + "badhash-1.0-py3-none-any.whl#sha256=" + sha256(bytes("not the wheel")) + "\">"
                + "badhash-1.0-py3-none-any.whl</a>");

        Map<String, byte[]> pages = new LinkedHashMap<>();
        StringBuilder root = new StringBuilder("<!DOCTYPE html>\n<html><body>\n");
        projects.forEach((name, links) -> {
            root.append("<a href=\"").append(name).append("/\">").append(name).append("</a>\n");
            pages.put("/simple/" + name + "/", bytes("<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-"
                    + "version\" content=\"1.0\"><title>Links for " + name + "</title></head><body>\n"
                    + String.join("<br/>\n", links) + "\n</body></html>\n"));
        });
        pages.put("/simple/", bytes(root.append("</body></html>\n").toString()));

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            REQUESTS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (path.equals("/simple/broken/")) {
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
                return;
            }
            byte[] body = pages.containsKey(path) ? pages.get(path) : INDEX_FILES.get(path);
            exchange.getResponseHeaders().add("Content-Type", pages.containsKey(path) ? "text/html"
                    : "application/octet-stream");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        return server;
    }

    /** A file of a project, linked from its page with its sha256 and the given extra attributes. */
    private static void file(Map<String, List<String>> projects, String project, String name, byte[] content,
            String attributes) {
        INDEX_FILES.put("/files/" + name, content);
        projects.computeIfAbsent(project, p -> new java.util.ArrayList<>()).add("<a href=\"../../files/" + name
                + "#sha256=" + sha256(content) + "\"" + attributes + ">" + name + "</a>");
    }

    /** A wheel as pip builds one: {@code <name>/__init__.py} and its .dist-info with METADATA, WHEEL and RECORD. */
    static byte[] wheel(String name, String version, String init, String... requiresDist) {
        return wheel(name, version, init, Map.of(), requiresDist);
    }

    /** A wheel with more files beside {@code <name>/__init__.py}. */
    static byte[] wheel(String name, String version, String init, Map<String, String> more, String... requiresDist) {
        String info = name + "-" + version + ".dist-info/";
        StringBuilder metadata = new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version
                + "\n");
        for (String requirement : requiresDist) {
            metadata.append("Requires-Dist: ").append(requirement).append('\n');
        }
        metadata.append("\nThe description, where a header-looking line\nRequires-Dist: isnotone\nis text.\n");
        Map<String, String> files = new LinkedHashMap<>();
        files.put(name + "/__init__.py", init);
        files.putAll(more);
        files.put(info + "METADATA", metadata.toString());
        files.put(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        files.put(info + "RECORD", name + "/__init__.py,,\n" + info + "METADATA,,\n" + info + "WHEEL,,\n"
                + info + "RECORD,,\n");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        files.forEach((path, text) -> entries.put(path, bytes(text)));
        return FunctionUploads.zipBytes(entries);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
