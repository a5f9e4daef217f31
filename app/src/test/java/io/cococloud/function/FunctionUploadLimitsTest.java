package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * What a multi-file deploy refuses, each with a 400 naming the file or the limit: paths that leave the code root
 * or name one file twice, Python sources that are not UTF-8 text, and the limits on files, sizes, path length and
 * the zip.
 * Nothing refused is stored.
 */
@IntegrationTest
class FunctionUploadLimitsTest {

    private static final String ENTRY = "def main():\n    return 1\n";

    @LocalServerPort
    int port;

    AdminApi owner;
    String base;
    FunctionUploads uploads;

    @BeforeEach
    void project() {
        Functions functions = Functions.inNewProject(port);
        owner = functions.owner();
        base = functions.functionsPath();
        uploads = new FunctionUploads(port, owner);
    }

    private String refusedFiles(Map<String, String> files) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("index.py", ENTRY);
        all.putAll(files);
        String detail = owner.post(base, Map.of("name", "refused", "files", all)).expect(400).json().get("detail")
                .asString();
        assertThat(owner.get(base).expect(200).json().size()).as("nothing stored").isZero();
        return detail;
    }

    private String refusedZip(byte[] zip) {
        String detail = uploads.create(base, zip, Map.of("name", "refused")).expect(400).json().get("detail")
                .asString();
        assertThat(owner.get(base).expect(200).json().size()).as("nothing stored").isZero();
        return detail;
    }

    private static byte[] zipWith(String path, String text) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("index.py", ENTRY);
        files.put(path, text);
        return FunctionUploads.zip(files);
    }

    @Test
    void aPathWithDotDotIsRefused() {
        assertThat(refusedFiles(Map.of("../escape.py", "X = 1\n"))).contains("'../escape.py'").contains("..");
        assertThat(refusedZip(zipWith("lib/../../escape.py", "X = 1\n"))).contains("lib/../../escape.py");
    }

    @Test
    void anAbsolutePathIsRefused() {
        assertThat(refusedFiles(Map.of("/etc/cron.py", "X = 1\n"))).contains("/etc/cron.py").contains("absolute");
        assertThat(refusedZip(zipWith("C:/windows/x.py", "X = 1\n"))).contains("C:/windows/x.py")
                .contains("absolute");
    }

    @Test
    void aBackslashInAPathIsRefused() {
        assertThat(refusedFiles(Map.of("lib\\util.py", "X = 1\n"))).contains("lib\\util.py").contains("backslash");
        assertThat(refusedZip(zipWith("..\\escape.py", "X = 1\n"))).contains("backslash");
    }

    @Test
    void aNulInAPathIsRefused() {
        assertThat(refusedFiles(Map.of("evil\u0000.py", "X = 1\n"))).contains("evil\\u0000.py").contains("NUL");
    }

    @Test
    void twoNamesForOneFileAreRefused() {
        assertThat(refusedFiles(Map.of("./index.py", "def main():\n    return 2\n"))).contains("'index.py'")
                .contains("Two files");
        assertThat(refusedZip(zipWith("./index.py", ENTRY))).contains("index.py").contains("two entries");
    }

    @Test
    void aBinaryPythonSourceIsRefusedByName() {
        // other binary files are data files since vendored packages (VendoredPackagesTest)
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("index.py", ENTRY.getBytes());
        entries.put("data/model.py", new byte[] {1, 2, 0, 3});
        assertThat(refusedZip(FunctionUploads.zipBytes(entries))).contains("data/model.py").contains("binary");
        assertThat(refusedFiles(Map.of("blob.txt", "a\u0000b"))).contains("blob.txt").contains("NUL");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedByName() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("index.py", ENTRY.getBytes());
        entries.put("latin.py", new byte[] {'X', ' ', '=', ' ', '"', (byte) 0xe9, '"', '\n'});
        assertThat(refusedZip(FunctionUploads.zipBytes(entries))).contains("latin.py").contains("UTF-8");
    }

    @Test
    void moreThan300FilesAreRefused() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            many.put("m" + i + ".py", "");
        }
        assertThat(refusedFiles(many)).contains("300");
        many.put("index.py", ENTRY);
        assertThat(refusedZip(FunctionUploads.zip(many))).contains("301 files").contains("300");
    }

    @Test
    void aFileOver512KbIsRefusedNamingIt() {
        String big = "#" + "x".repeat(512 * 1024) + "\n";
        assertThat(refusedFiles(Map.of("big.py", big))).contains("big.py").contains("512 KB");
        assertThat(refusedZip(zipWith("big.py", big))).contains("big.py").contains("512 KB");
    }

    @Test
    void filesOver5MbTogetherAreRefused() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("index.py", ENTRY);
        for (int i = 0; i < 11; i++) {
            files.put("part" + i + ".py", "#" + "y".repeat(500 * 1024) + "\n");
        }
        // a zip of a few kilobytes that inflates past the total: refused while inflating, not trusted
        byte[] zip = FunctionUploads.zip(files);
        assertThat(zip.length).isLessThan(100_000);
        assertThat(refusedZip(zip)).contains("5 MB");
    }

    @Test
    void aPathOver200CharactersIsRefused() {
        String deep = "d/".repeat(100) + "x.py";
        assertThat(refusedFiles(Map.of(deep, "X = 1\n"))).contains("200");
        assertThat(refusedZip(zipWith(deep, "X = 1\n"))).contains("200");
    }

    @Test
    void aZipOver30MbIsRefused() {
        byte[] noise = new byte[30 * 1024 * 1024 + 1];
        new Random(11).nextBytes(noise);
        assertThat(refusedZip(noise)).contains("31457281 bytes").contains("30 MB");
    }

    @Test
    void aZipWithMoreThan40000EntriesIsRefused() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("index.py", ENTRY.getBytes());
        for (int i = 0; i < 40_000; i++) {
            entries.put("folder" + i + "/", new byte[0]);
        }
        assertThat(refusedZip(FunctionUploads.zipBytes(entries))).contains("40001 entries").contains("40000");
    }

    @Test
    void somethingThatIsNotAZipIsRefused() {
        assertThat(refusedZip("def main():\n    return 1\n".getBytes())).contains("not a readable zip");
        assertThat(refusedZip(FunctionUploads.zipBytes(Map.of("empty/", new byte[0])))).contains("no files");
    }

    @Test
    void theUploadFormIsStrict() {
        byte[] zip = FunctionUploads.zip(Map.of("index.py", ENTRY));
        assertThat(uploads.create(base, null, Map.of("name", "nozip")).expect(400).json().get("detail").asString())
                .contains("zip");
        assertThat(uploads.create(base, zip, Map.of()).expect(400).json().get("detail").asString())
                .contains("name");
        assertThat(uploads.create(base, zip, Map.of("name", "x", "colour", "red")).expect(400).json()
                .get("detail").asString()).contains("colour");
        assertThat(uploads.create(base, zip, Map.of("name", "x", "style", "cgi")).expect(400).json()
                .get("detail").asString()).contains("style");
        uploads.create(base, zip, Map.of("name", "x", "timeout_s", "ten")).expect(400);
        assertThat(owner.get(base).expect(200).json().size()).isZero();
    }

    @Test
    void aCodeReplacementMustBeAZip() {
        String id = owner.post(base, Map.of("name", "f", "code", ENTRY)).expect(201).json().get("id").asString();
        uploads.send("PUT", base + "/" + id + "/code", ENTRY.getBytes(), "text/plain").expect(415);
        uploads.replace(base + "/" + id, "not a zip".getBytes(), "").expect(400);
        assertThat(owner.get(base + "/" + id + "/versions").json().size()).isEqualTo(1);
        uploads.replace(base + "/00000000-0000-0000-0000-000000000000", FunctionUploads.zip(Map.of("index.py",
                ENTRY)), "").expect(404);
    }

    @Test
    void codeAndFilesTogetherAreRefused() {
        assertThat(owner.post(base, Map.of("name", "both", "code", ENTRY, "files", Map.of("index.py", ENTRY)))
                .expect(400).json().get("detail").asString()).contains("code").contains("files");
        assertThat(owner.post(base, Map.of("name", "neither")).expect(400).json().get("detail").asString())
                .contains("code").contains("files");
        assertThat(owner.post(base, Map.of("name", "none", "files", Map.of())).expect(400).json().get("detail")
                .asString()).contains("no file");
    }
}
