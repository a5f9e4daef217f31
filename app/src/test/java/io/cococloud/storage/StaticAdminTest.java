package io.cococloud.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** The admin API of static files: listing, uploads of files and zips, deletion, roles. */
@IntegrationTest
class StaticAdminTest {

    @LocalServerPort
    int port;

    AdminApi owner;
    String projectId;
    String base;
    StaticHttp http;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        base = AdminApi.API + "/projects/" + projectId + "/static";
        http = new StaticHttp(port);
    }

    private List<String> paths() {
        List<String> paths = new ArrayList<>();
        owner.get(base).expect(200).json().forEach(file -> paths.add(file.get("path").asString()));
        return paths;
    }

    @Test
    void aFileIsStoredUnderItsOwnNameAndListedWithItsTypeSizeDigestAndUrl() {
        JsonNode stored = http.upload(owner, projectId, Multipart.form().file("file", "hello.txt", "hello"))
                .expect(201).json().get("files").get(0);

        assertThat(stored.get("path").asString()).isEqualTo("hello.txt");
        JsonNode listed = owner.get(base).expect(200).json().get(0);
        assertThat(listed.get("path").asString()).isEqualTo("hello.txt");
        assertThat(listed.get("content_type").asString()).isEqualTo("text/plain; charset=utf-8");
        assertThat(listed.get("size").asLong()).isEqualTo(5);
        assertThat(listed.get("sha256").asString()).isEqualTo(StaticServingTest.sha256("hello"));
        assertThat(listed.get("url").asString()).endsWith("/static/" + projectId + "/hello.txt");
        assertThat(listed.get("created_at").asString()).isNotBlank();
        assertThat(listed.get("updated_at").asString()).isNotBlank();
    }

    @Test
    void pathPutsAFileAtThatPathOrIntoThatFolder() {
        http.upload(owner, projectId, Multipart.form().file("file", "a.png", new byte[] {1, 2, 3})
                .field("path", "images/logo.png")).expect(201);
        http.upload(owner, projectId, Multipart.form().file("file", "b.css", "b{}").field("path", "css/")).expect(201);
        http.upload(owner, projectId, Multipart.form().file("file", "c.js", "c").field("path", "./js//c.js"))
                .expect(201);

        assertThat(paths()).containsExactly("css/b.css", "images/logo.png", "js/c.js");
        assertThat(owner.get(base).expect(200).json().get(1).get("content_type").asString()).isEqualTo("image/png");
    }

    @Test
    void uploadingToAnExistingPathReplacesTheFile() {
        http.upload(owner, projectId, Multipart.form().file("file", "a.txt", "first")).expect(201);
        JsonNode before = owner.get(base).expect(200).json().get(0);

        JsonNode after = http.upload(owner, projectId, Multipart.form().file("file", "a.txt", "second version"))
                .expect(201).json().get("files").get(0);

        assertThat(paths()).containsExactly("a.txt");
        assertThat(after.get("size").asLong()).isEqualTo(14);
        assertThat(after.get("sha256").asString()).isNotEqualTo(before.get("sha256").asString());
        assertThat(after.get("created_at").asString()).isEqualTo(before.get("created_at").asString());
        assertThat(http.get("/static/" + projectId + "/a.txt").expect(200).text()).isEqualTo("second version");
    }

    @Test
    void theListIsFilteredByPrefix() {
        http.upload(owner, projectId, Multipart.form().file("zip", "s.zip", StaticHttp.zip(Map.of(
                "css/a.css", "a", "css/b.css", "b", "js/app.js", "j")))).expect(201);

        JsonNode css = owner.get(base + "?prefix=css/").expect(200).json();

        assertThat(css).hasSize(2);
        assertThat(css.get(0).get("path").asString()).isEqualTo("css/a.css");
        assertThat(owner.get(base + "?prefix=nothing/").expect(200).json()).isEmpty();
    }

    @Test
    void aZipWhoseFilesShareOneTopFolderIsStoredWithoutIt() {
        Map<String, Object> site = new LinkedHashMap<>();
        site.put("site/", null);
        site.put("site/index.html", "<p>hi</p>");
        site.put("site/css/main.css", "p{}");
        site.put("__MACOSX/site/._index.html", "junk");
        site.put("site/.DS_Store", "junk");

        JsonNode result = http.upload(owner, projectId, Multipart.form().file("zip", "site.zip",
                StaticHttp.zip(site))).expect(201).json();

        assertThat(result.get("stripped_folder").asString()).isEqualTo("site");
        assertThat(result.get("files")).hasSize(2);
        assertThat(paths()).containsExactly("css/main.css", "index.html");
    }

    @Test
    void stripTopFolderFalseKeepsTheZipsNamesAsTheyAre() {
        byte[] zip = StaticHttp.zip(Map.of("site/index.html", "x"));

        JsonNode result = http.upload(owner, projectId, Multipart.form().file("zip", "site.zip", zip)
                .field("strip_top_folder", "false")).expect(201).json();

        assertThat(result.get("stripped_folder").isNull()).isTrue();
        assertThat(paths()).containsExactly("site/index.html");
    }

    @Test
    void aZipSentAsFileWithUnzipIsUnpackedIntoTheFolderGivenAsPath() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("index.html", "i");
        tree.put("css/a.css", "a");

        http.upload(owner, projectId, Multipart.form().file("file", "tree.zip", StaticHttp.zip(tree))
                .field("unzip", "true").field("path", "v2")).expect(201);
        http.upload(owner, projectId, Multipart.form().file("file", "kept.zip", StaticHttp.zip(tree))).expect(201);

        assertThat(paths()).containsExactly("kept.zip", "v2/css/a.css", "v2/index.html");
    }

    @Test
    void aFileIsDeletedByItsPathWithSlashes() {
        http.upload(owner, projectId, Multipart.form().file("file", "a.css", "a").field("path", "css/deep/a.css"))
                .expect(201);

        owner.delete(base + "/css/deep/a.css").expect(204);

        assertThat(paths()).isEmpty();
        owner.delete(base + "/css/deep/a.css").expect(404);
        http.get("/static/" + projectId + "/css/deep/a.css").expect(404);
    }

    @Test
    void viewersReadDevelopersWriteAndNonMembersSeeNothing() {
        http.upload(owner, projectId, Multipart.form().file("file", "a.txt", "a")).expect(201);
        AdminApi viewer = member("viewer");
        AdminApi developer = member("developer");
        AdminApi stranger = AdminApi.newAccount(port);

        assertThat(viewer.get(base).expect(200).json()).hasSize(1);
        http.upload(viewer, projectId, Multipart.form().file("file", "b.txt", "b")).expect(403);
        viewer.delete(base + "/a.txt").expect(403);

        http.upload(developer, projectId, Multipart.form().file("file", "b.txt", "b")).expect(201);
        developer.delete(base + "/b.txt").expect(204);

        stranger.get(base).expect(404);
        http.upload(stranger, projectId, Multipart.form().file("file", "c.txt", "c")).expect(404);
        stranger.delete(base + "/a.txt").expect(404);
        AdminApi.anonymous(port).get(base).expect(401);
        assertThat(paths()).containsExactly("a.txt");
    }

    @Test
    void aProjectsFilesAreNotReachableThroughAnotherProjectsAdminUrls() {
        http.upload(owner, projectId, Multipart.form().file("file", "a.txt", "a")).expect(201);
        AdminApi other = AdminApi.newAccount(port);
        String otherProject = other.createProject();
        String otherBase = AdminApi.API + "/projects/" + otherProject + "/static";

        assertThat(other.get(otherBase).expect(200).json()).isEmpty();
        other.delete(otherBase + "/a.txt").expect(404);
        assertThat(paths()).containsExactly("a.txt");
    }

    @Test
    void unsafePathsAreRefusedNamingTheProblem() {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("../x.txt", "'..'");
        refused.put("a/../../x.txt", "'..'");
        refused.put("%2e%2e/x.txt", "%2e");
        refused.put("..%2fx.txt", "%2f");
        refused.put("%252e%252e/x.txt", "%25");
        refused.put("a\\b.txt", "backslash");
        refused.put("/etc/passwd", "absolute");
        refused.put("C:/x.txt", "drive");
        refused.put("a\u0000b.txt", "NUL");
        refused.put("a\nb.txt", "control character");
        refused.put("x".repeat(300) + ".txt", "limit is 255");
        refused.put("a/".repeat(300) + "x.txt", "limit is 512");
        refused.put("a?b.txt", "'?'");
        refused.forEach((path, problem) -> {
            StaticHttp.Answer answer = http.upload(owner, projectId, Multipart.form().file("file", "x.txt", "x")
                    .field("path", path));
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.detail()).as(path).contains(problem);
        });
        http.upload(owner, projectId, Multipart.form().file("file", "..", "x")).expect(400);
        assertThat(paths()).isEmpty();
    }

    @Test
    void aZipEntryThatLeavesTheRootIsRefusedAndNothingOfTheZipIsStored() {
        http.upload(owner, projectId, Multipart.form().file("file", "keep.txt", "kept")).expect(201);
        Map<String, Object> slip = new LinkedHashMap<>();
        slip.put("fine.txt", "fine");
        slip.put("../../evil.txt", "evil");

        StaticHttp.Answer answer = http.upload(owner, projectId, Multipart.form().file("zip", "slip.zip",
                StaticHttp.zip(slip))).expect(400);

        assertThat(answer.detail()).contains("../../evil.txt").contains("'..'");
        assertThat(paths()).containsExactly("keep.txt");
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedAndEarlierFilesStayIntact() {
        http.upload(owner, projectId, Multipart.form().file("file", "keep.txt", "kept")).expect(201);

        StaticHttp.Answer answer = http.upload(owner, projectId, Multipart.form().file("file", "big.bin",
                new byte[10 * 1024 * 1024 + 1])).expect(400);

        assertThat(answer.json().get("type").asString()).isEqualTo("urn:cococloud:problem:request-too-large");
        assertThat(answer.detail()).contains("big.bin").contains("10 MB");
        assertThat(paths()).containsExactly("keep.txt");
        assertThat(http.get("/static/" + projectId + "/keep.txt").expect(200).text()).isEqualTo("kept");
    }

    @Test
    void aZipEntryThatInflatesPastTheLimitIsRefusedWhateverItsHeadersSay() {
        http.upload(owner, projectId, Multipart.form().file("file", "keep.txt", "kept")).expect(201);
        Map<String, Object> bomb = new LinkedHashMap<>();
        bomb.put("first.txt", "stored before the bomb, then rolled back");
        bomb.put("bomb.bin", new byte[11 * 1024 * 1024]);
        byte[] zip = claimSmallSizes(StaticHttp.zip(bomb));
        assertThat(zip.length).isLessThan(100_000);

        StaticHttp.Answer answer = http.upload(owner, projectId, Multipart.form().file("zip", "bomb.zip", zip))
                .expect(400);

        assertThat(answer.json().get("type").asString()).isEqualTo("urn:cococloud:problem:request-too-large");
        assertThat(answer.detail()).contains("bomb.bin").contains("10 MB");
        assertThat(paths()).containsExactly("keep.txt");
    }

    @Test
    void aZipWithTooManyEntriesIsRefusedBeforeAnythingIsStored() {
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 1001; i++) {
            many.put("f" + i + ".txt", "x");
        }

        StaticHttp.Answer answer = http.upload(owner, projectId, Multipart.form().file("zip", "many.zip",
                StaticHttp.zip(many))).expect(400);

        assertThat(answer.detail()).contains("1001 entries").contains("1000");
        assertThat(paths()).isEmpty();
    }

    @Test
    void malformedUploadsAreRefusedWithAReason() {
        assertThat(http.upload(owner, projectId, Multipart.form().field("path", "a.txt")).expect(400).detail())
                .contains("'file'");
        assertThat(http.upload(owner, projectId, Multipart.form().file("file", "a.txt", "a")
                .file("zip", "b.zip", StaticHttp.zip(Map.of("b", "b")))).expect(400).detail()).contains("not both");
        assertThat(http.upload(owner, projectId, Multipart.form().file("file", "a.txt", "a").field("colour", "red"))
                .expect(400).detail()).contains("colour");
        assertThat(http.upload(owner, projectId, Multipart.form().file("file", "a.txt", "a").field("unzip", "true"))
                .expect(400).detail()).contains(".zip");
        assertThat(http.upload(owner, projectId, Multipart.form().file("zip", "a.zip", "not a zip")).expect(400)
                .detail()).contains("zip");
        Map<String, Object> onlyFolders = new LinkedHashMap<>();
        onlyFolders.put("empty/", null);
        assertThat(http.upload(owner, projectId, Multipart.form().file("zip", "e.zip", StaticHttp.zip(onlyFolders)))
                .expect(400).detail()).contains("no files");
        assertThat(owner.post(base, Map.of("file", "x")).status()).isEqualTo(415);
        assertThat(paths()).isEmpty();
    }

    private AdminApi member(String role) {
        AdminApi member = AdminApi.newAccount(port);
        owner.addMember(projectId, member, role);
        return member;
    }

    /**
     * The same zip with every central directory entry claiming 100 inflated bytes: a server that trusted the
     * headers would let the entry through.
     */
    static byte[] claimSmallSizes(byte[] zip) {
        byte[] lying = zip.clone();
        for (int i = 0; i + 28 < lying.length; i++) {
            if (lying[i] == 'P' && lying[i + 1] == 'K' && lying[i + 2] == 1 && lying[i + 3] == 2) {
                lying[i + 24] = 100;
                lying[i + 25] = 0;
                lying[i + 26] = 0;
                lying[i + 27] = 0;
            }
        }
        return lying;
    }
}
