package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * Deploying a site (issue 11 §3): a new immutable version replaces the live one in one step, earlier versions stay
 * for rollback, the site can be taken down, and a tree that cannot be served is refused with a 400 naming the
 * offending path, leaving the live site as it was.
 */
@IntegrationTest
class SiteDeployTest {

    @LocalServerPort
    int port;

    private static String answering(String value) {
        return "def main():\n    return '" + value + "'\n";
    }

    private static Map<String, Object> versioned(String value) {
        return SiteDeploys.files("cloud-functions/api/version.py", answering(value),
                "index.html", "<h1>" + value + "</h1>");
    }

    private static String result(AdminApi.Response response) {
        return response.json().get("result").asString();
    }

    @Test
    void aDeployAnswersTheNewVersionWithItsRoutesAndStaticFiles() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        JsonNode deployed = site.deploy(versioned("one"));
        assertThat(deployed.get("version").asInt()).isEqualTo(1);
        assertThat(deployed.get("routes").get(0).get("pattern").asString()).isEqualTo("/api/version");
        assertThat(deployed.get("routes").get(0).get("file").asString()).isEqualTo("api/version.py");
        assertThat(deployed.get("routes").get(0).get("style").asString()).isEqualTo("main");
        assertThat(deployed.get("static_files").get(0).get("path").asString()).isEqualTo("index.html");
        assertThat(deployed.get("static_files").get(0).get("content_type").asString()).startsWith("text/html");
        assertThat(deployed.get("url").asString()).endsWith("/p/" + site.projectId() + "/");
        assertThat(result(site.get("/api/version").expect(200))).isEqualTo("one");
    }

    @Test
    void aRedeployReplacesTheWholeSite() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        Map<String, Object> first = versioned("one");
        first.put("cloud-functions/api/old.py", answering("old"));
        site.deploy(first);
        site.get("/api/old").expect(200);

        assertThat(site.deploy(versioned("two")).get("version").asInt()).isEqualTo(2);

        assertThat(result(site.get("/api/version").expect(200))).isEqualTo("two");
        assertThat(site.get("/").expect(200).body()).isEqualTo("<h1>two</h1>");
        site.get("/api/old").expect(404);
    }

    @Test
    void callsDuringARedeploySeeTheOldSiteOrTheNewOneAndNeverNothing() throws Exception {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(versioned("one"));
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean deploying = new AtomicBoolean(true);
        Thread caller = Thread.ofVirtual().start(() -> {
            while (deploying.get()) {
                AdminApi.Response response = site.get("/api/version");
                seen.add(response.status() + " " + (response.status() == 200 ? result(response) : response.body()));
            }
        });
        for (int i = 0; i < 3; i++) {
            site.deploy(versioned("two"));
            site.deploy(versioned("one"));
        }
        site.deploy(versioned("two"));
        deploying.set(false);
        caller.join();
        assertThat(seen).isNotEmpty().allMatch(answer -> answer.equals("200 one") || answer.equals("200 two"));
        assertThat(result(site.get("/api/version").expect(200))).isEqualTo("two");
    }

    @Test
    void anEarlierVersionCanBeDeployedAgain() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(versioned("one"));
        site.deploy(versioned("two"));

        JsonNode rolledBack = site.owner().post(site.sitesPath() + "/versions/1/deploy", null).expect(200).json();

        assertThat(rolledBack.get("version").asInt()).isEqualTo(1);
        assertThat(result(site.get("/api/version").expect(200))).isEqualTo("one");
        assertThat(site.get("/").expect(200).body()).isEqualTo("<h1>one</h1>");
        JsonNode versions = site.owner().get(site.sitesPath() + "/versions").expect(200).json();
        assertThat(versions.valueStream().map(v -> v.get("version").asInt() + ":" + v.get("deployed").asBoolean()))
                .containsExactly("2:false", "1:true");
    }

    @Test
    void deployingAVersionThatDoesNotExistIsNotFound() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(versioned("one"));
        AdminApi.Response response = site.owner().post(site.sitesPath() + "/versions/7/deploy", null).expect(404);
        assertThat(response.body()).contains("Site version 7");
        assertThat(result(site.get("/api/version").expect(200))).isEqualTo("one");
    }

    @Test
    void aSiteTakenDownAnswersNotFoundAndKeepsItsVersions() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(versioned("one"));

        site.owner().delete(site.sitesPath()).expect(204);

        site.get("/api/version").expect(404);
        site.get("/").expect(404);
        site.owner().get(site.sitesPath()).expect(404);
        assertThat(site.owner().get(site.sitesPath() + "/versions").expect(200).json().size()).isEqualTo(1);
        site.owner().post(site.sitesPath() + "/versions/1/deploy", null).expect(200);
        assertThat(result(site.get("/api/version").expect(200))).isEqualTo("one");
    }

    @Test
    void aDeletedProjectsSiteStopsAnsweringAtOnce() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(versioned("one"));
        site.get("/api/version").expect(200); // now cached in memory

        site.owner().delete(AdminApi.API + "/projects/" + site.projectId()).expect(204);

        site.get("/api/version").expect(404);
        site.get("/").expect(404);
    }

    @Test
    void aProjectWithoutASiteHasNoneToListOrTakeDown() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.owner().get(site.sitesPath()).expect(404);
        site.owner().delete(site.sitesPath()).expect(404);
        site.get("/").expect(404);
    }

    @Test
    void aViewerMayReadTheSiteButNotDeployIt() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(versioned("one"));
        AdminApi viewer = AdminApi.newAccount(port);
        site.owner().addMember(site.projectId(), viewer, "viewer");
        SiteDeploys asViewer = new SiteDeploys(port, viewer, site.projectId());

        assertThat(asViewer.upload(SiteDeploys.zip(versioned("two")), "application/zip").status()).isEqualTo(403);
        viewer.get(site.sitesPath()).expect(200);
        viewer.post(site.sitesPath() + "/versions/1/deploy", null).expect(403);
        viewer.delete(site.sitesPath()).expect(403);
        assertThat(result(site.get("/api/version").expect(200))).isEqualTo("one");
    }

    @Test
    void anotherAccountCanNeitherSeeNorChangeTheSite() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(versioned("one"));
        AdminApi stranger = AdminApi.newAccount(port);
        SiteDeploys asStranger = new SiteDeploys(port, stranger, site.projectId());

        assertThat(asStranger.upload(SiteDeploys.zip(versioned("evil")), "application/zip").status()).isEqualTo(404);
        stranger.get(site.sitesPath()).expect(404);
        stranger.get(site.sitesPath() + "/versions").expect(404);
        stranger.post(site.sitesPath() + "/versions/1/deploy", null).expect(404);
        stranger.delete(site.sitesPath()).expect(404);
        stranger.get(site.sitesPath() + "/executions?file=api/version.py").expect(404);
        assertThat(result(site.get("/api/version").expect(200))).isEqualTo("one");
    }

    @Test
    void aMultipartFormWithTheZipInTheFieldZipDeploysToo() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        String boundary = "site-boundary";
        byte[] zip = SiteDeploys.zip(versioned("form"));
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"site.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(zip);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

        SiteDeploys.Answer answer = site.upload(body.toByteArray(), "multipart/form-data; boundary=" + boundary);

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(result(site.get("/api/version").expect(200))).isEqualTo("form");
    }

    // ---- what is not a route ----

    @Test
    void aFileWithoutAnEntryPointIsAHelperModuleNotARoute() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        JsonNode deployed = site.deploy(SiteDeploys.files(
                "cloud-functions/api/hello.py", answering("hello"),
                "cloud-functions/api/util.py", "GREETING = 'hi'\n\ndef greet(name):\n    return GREETING + ' ' + name\n"));
        assertThat(deployed.get("routes").valueStream().map(r -> r.get("file").asString()))
                .containsExactly("api/hello.py");
        site.get("/api/util").expect(404);
    }

    @Test
    void aHelperModuleImportsIntoARouteFile() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(SiteDeploys.files(
                "cloud-functions/greetings.py", "def greet(name):\n    return 'Hello, ' + name\n",
                "cloud-functions/hello.py", "from greetings import greet\n\ndef main():\n"
                        + "    return greet(request.get('name', 'world'))\n"));
        assertThat(result(site.get("/hello?name=Ada").expect(200))).isEqualTo("Hello, Ada");
    }

    @Test
    void edgeOnesExcludedFoldersAndThePackagesFolderAreNeverRoutes() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("cloud-functions/api/hello.py", answering("hello"));
        List<String> excluded = new ArrayList<>();
        for (String folder : new String[] {"__pycache__", ".git", "node_modules", "venv", ".venv", "scripts", "tests",
                ".pytest_cache", "python_packages"}) {
            files.put("cloud-functions/" + folder + "/x.py", answering(folder));
            files.put("cloud-functions/api/" + folder + "/y.py", answering(folder));
            excluded.add("/" + folder + "/x");
            excluded.add("/api/" + folder + "/y");
        }
        JsonNode deployed = site.deploy(files);
        assertThat(deployed.get("routes").valueStream().map(r -> r.get("file").asString()))
                .containsExactly("api/hello.py");
        for (String path : excluded) {
            site.get(path).expect(404);
        }
    }

    @Test
    void packagesBesideCloudFunctionsImportIntoRoutesAndAreNeitherRoutesNorServed() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        JsonNode deployed = site.deploy(SiteDeploys.files(
                "python_packages/greeter/__init__.py", "def greet(name):\n    return 'Hi ' + name\n",
                "python_packages/greeter/cli.py", answering("not a route"),
                "cloud-functions/hello.py", "from greeter import greet\n\ndef main():\n"
                        + "    return greet(request.get('name', 'world'))\n"));

        assertThat(deployed.get("routes").valueStream().map(r -> r.get("file").asString()))
                .containsExactly("hello.py");
        assertThat(result(site.get("/hello?name=Ada").expect(200))).isEqualTo("Hi Ada");
        site.get("/python_packages/greeter/__init__.py").expect(404);
        site.get("/python_packages/greeter/cli").expect(404);
    }

    @Test
    void aRequirementsFileTheSitesPackagesMeetDeploysAndOneTheyDoNotIsRefusedNamingIt() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        Map<String, Object> files = SiteDeploys.files(
                "python_packages/greeter/__init__.py", "def greet(name):\n    return 'Hi ' + name\n",
                "python_packages/greeter-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: greeter\nVersion: 1.0\n",
                "cloud-functions/hello.py", answering("hello"),
                "cloud-functions/requirements.txt", "greeter==1.0\n");
        site.deploy(files);

        files.remove("cloud-functions/requirements.txt");
        files.put("requirements.txt", "greeter>=2\n"); // at the zip's root, where EdgeOne also reads it
        assertThat(refusal(site, files)).isEqualTo("requirements.txt requires 'greeter>=2', but the vendored greeter"
                + " is 1.0");
        files.put("requirements.txt", "requests\n");
        assertThat(refusal(site, files)).startsWith("requirements.txt requires 'requests', but no vendored package is"
                + " requests");
    }

    @Test
    void theSourceOfTheRoutesIsNeverServed() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(SiteDeploys.files("cloud-functions/api/hello.py", "SECRET = 'x'\n" + answering("hello")));
        site.get("/cloud-functions/api/hello.py").expect(404);
        site.get("/cloud-functions/api/hello").expect(404);
    }

    // ---- refusals, each naming what is wrong ----

    private static String refusal(SiteDeploys site, Map<String, Object> files) {
        return refusal(site, SiteDeploys.zip(files), "application/zip");
    }

    private static String refusal(SiteDeploys site, byte[] body, String type) {
        SiteDeploys.Answer answer = site.upload(body, type);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("type").asString()).startsWith("urn:cococloud:problem:");
        return answer.json().get("detail").asString();
    }

    @Test
    void twoFilesClaimingOneRouteAreRefusedNamingBoth() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        String detail = refusal(site, SiteDeploys.files("cloud-functions/api/users.py", answering("a"),
                "cloud-functions/api/users/index.py", answering("b")));
        assertThat(detail).contains("cloud-functions/api/users.py", "cloud-functions/api/users/index.py",
                "/api/users");
    }

    @Test
    void twoParameterSiblingsAreRefusedNamingBoth() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        String detail = refusal(site, SiteDeploys.files("cloud-functions/api/[a].py", answering("a"),
                "cloud-functions/api/[b].py", answering("b")));
        assertThat(detail).contains("cloud-functions/api/[a].py", "cloud-functions/api/[b].py");
    }

    @Test
    void aParameterFolderAndAParameterFileOfTheSameShapeAreRefused() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        String detail = refusal(site, SiteDeploys.files("cloud-functions/api/[id].py", answering("a"),
                "cloud-functions/api/[key]/index.py", answering("b")));
        assertThat(detail).contains("cloud-functions/api/[id].py", "cloud-functions/api/[key]/index.py");
    }

    @Test
    void aRouteFileThatDoesNotCompileIsRefusedNamingItsPathAndLine() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        String detail = refusal(site, SiteDeploys.files("cloud-functions/api/ok.py", answering("ok"),
                "cloud-functions/api/broken.py", "def main():\n    return 1\n\ndef oops(:\n    pass\n"));
        assertThat(detail).contains("cloud-functions/api/broken.py", "line 4");
    }

    @Test
    void aCatchAllBeforeTheLastSegmentIsRefused() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        String detail = refusal(site, SiteDeploys.files("cloud-functions/api/[[rest]]/more.py", answering("x")));
        assertThat(detail).contains("cloud-functions/api/[[rest]]/more.py", "last");
    }

    @Test
    void aParameterThatIsNotAWholeSegmentIsRefused() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        String detail = refusal(site, SiteDeploys.files("cloud-functions/api/user-[id].py", answering("x")));
        assertThat(detail).contains("cloud-functions/api/user-[id].py", "whole segment");
    }

    @Test
    void entriesThatLeaveTheSiteOrAreAbsoluteAreRefused() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        assertThat(refusal(site, SiteDeploys.files("../evil.html", "x"))).contains("../evil.html", "'..'");
        assertThat(refusal(site, SiteDeploys.files("assets/../../evil.html", "x"))).contains("'..'");
        assertThat(refusal(site, SiteDeploys.files("/etc/evil.html", "x"))).contains("/etc/evil.html", "absolute");
        assertThat(refusal(site, SiteDeploys.files("C:/evil.html", "x"))).contains("drive");
        assertThat(refusal(site, SiteDeploys.files("a\\b.html", "x"))).contains("backslash");
    }

    @Test
    void anEntryWithANulCharacterIsRefused() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        assertThat(refusal(site, SiteDeploys.files("evil\0.html", "x"))).contains("NUL");
    }

    @Test
    void aBodyThatIsNotAZipIsRefused() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        assertThat(refusal(site, "not a zip".getBytes(StandardCharsets.UTF_8), "application/zip")).contains("zip");
        assertThat(refusal(site, new byte[0], "application/zip")).contains("empty");
        assertThat(refusal(site, "{}".getBytes(StandardCharsets.UTF_8), "application/json"))
                .contains("application/zip", "application/json");
        assertThat(refusal(site, SiteDeploys.zip(Map.of()), "application/zip")).contains("no files");
    }

    @Test
    void aFileOverThePerFileLimitIsRefusedAfterBoundedWork() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        // 11 MB of zeros: a zip of a few kilobytes that inflates past the 10 MB per-file limit
        String detail = refusal(site, SiteDeploys.files("big.bin", new byte[11 * 1024 * 1024]));
        assertThat(detail).contains("big.bin", String.valueOf(SiteZip.MAX_FILE_BYTES));
    }

    @Test
    void tooManyFilesAreRefused() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        Map<String, Object> files = new LinkedHashMap<>();
        for (int i = 0; i <= SiteZip.MAX_FILES; i++) {
            files.put("f/" + i + ".txt", "x");
        }
        assertThat(refusal(site, files)).contains(String.valueOf(SiteZip.MAX_FILES + 1), "limit");
    }

    @Test
    void aRefusedDeployLeavesTheLiveSiteAsItWas() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        site.deploy(versioned("one"));
        Map<String, Object> broken = versioned("two");
        broken.put("cloud-functions/api/broken.py", "def main(:\n");
        refusal(site, broken);
        assertThat(result(site.get("/api/version").expect(200))).isEqualTo("one");
        assertThat(site.owner().get(site.sitesPath() + "/versions").expect(200).json().size()).isEqualTo(1);
    }
}
