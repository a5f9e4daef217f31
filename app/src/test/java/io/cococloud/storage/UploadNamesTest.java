package io.cococloud.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** A NUL in an uploaded file's name is refused with a 400 naming it; never a 500, never cut short. */
@IntegrationTest
class UploadNamesTest {

    @LocalServerPort
    int port;

    AdminApi owner;
    String projectId;
    String clientKey;
    StaticHttp http;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        clientKey = owner.post(AdminApi.API + "/projects/" + projectId + "/keys", Map.of("kind", "client"))
                .expect(201).json().get("key").asString();
        http = new StaticHttp(port);
    }

    @Test
    void aNulInTheFileNameOfADocumentWriteIs400AndStoresNothing() {
        StaticHttp.Answer answer = http.multipart("POST", "/collections/documents?collection=posts",
                Multipart.form().field("data", "{\"title\": \"x\"}").file("photo", "a\0b.png", "png"),
                Map.of("x-api-key", clientKey)).expect(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.detail()).contains("NUL").contains("a\\u0000b.png");
        assertThat(AdminApi.anonymous(port).send("GET", "/collections/posts/documents", null,
                Map.of("x-api-key", clientKey)).expect(200).json()).isEmpty();
        assertThat(staticPaths()).isEmpty();
    }

    @Test
    void aNulInTheFileNameOfADocumentUpdateIs400AndChangesNothing() {
        String id = AdminApi.anonymous(port).send("POST", "/collections/documents?collection=posts",
                Map.of("data", Map.of("title", "x")), Map.of("x-api-key", clientKey)).expect(201).json().get("id")
                .asString();
        StaticHttp.Answer answer = http.multipart("PATCH", "/collections/posts/documents/" + id,
                Multipart.form().field("data", "{\"title\": \"y\"}").file("photo", "a\0b.png", "png"),
                Map.of("x-api-key", clientKey)).expect(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.detail()).contains("NUL").contains("a\\u0000b.png");
        assertThat(AdminApi.anonymous(port).send("GET", "/collections/posts/documents/" + id, null,
                Map.of("x-api-key", clientKey)).expect(200).json().get("data").get("title").asString())
                .isEqualTo("x");
        assertThat(staticPaths()).isEmpty();
    }

    @Test
    void aNulInAZipEntryNameIsRefusedNotTruncated() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("ok.txt", "fine");
        entries.put("evil.txt\0.png", "cut?");
        StaticHttp.Answer answer = http.upload(owner, projectId,
                Multipart.form().file("zip", "site.zip", StaticHttp.zip(entries))).expect(400);
        assertThat(answer.detail()).contains("evil.txt").contains("NUL");
        assertThat(staticPaths()).isEmpty();
    }

    private java.util.List<String> staticPaths() {
        java.util.List<String> paths = new java.util.ArrayList<>();
        owner.get(AdminApi.API + "/projects/" + projectId + "/static").expect(200).json()
                .forEach(file -> paths.add(file.get("path").asString()));
        return paths;
    }
}
