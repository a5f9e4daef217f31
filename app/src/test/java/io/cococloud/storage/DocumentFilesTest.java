package io.cococloud.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * Documents written with files through the client API, as the cocobase SDK's createDocumentWithFiles and
 * updateDocumentWithFiles send them: multipart with the fields as JSON in "data" and files in other fields.
 */
@IntegrationTest
class DocumentFilesTest {

    @LocalServerPort
    int port;

    AdminApi owner;
    String projectId;
    String clientKey;
    String serverKey;
    StaticHttp http;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        clientKey = key("client");
        serverKey = key("server");
        http = new StaticHttp(port);
    }

    private String key(String kind) {
        return owner.post(AdminApi.API + "/projects/" + projectId + "/keys", Map.of("kind", kind)).expect(201)
                .json().get("key").asString();
    }

    private StaticHttp.Answer send(String method, String path, Multipart form, String key, String token) {
        Map<String, String> headers = new HashMap<>();
        if (key != null) {
            headers.put("x-api-key", key);
        }
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return http.multipart(method, path, form, headers);
    }

    private StaticHttp.Answer create(String collection, Multipart form, String token) {
        return send("POST", "/collections/documents?collection=" + collection, form, clientKey, token);
    }

    private String signUp(String... roles) {
        return AdminApi.anonymous(port).send("POST", "/auth-collections/signup", Map.of("email", "app-"
                + UUID.randomUUID() + "@example.test", "password", "password-1", "roles", List.of(roles)),
                Map.of("x-api-key", serverKey)).expect(201).json().get("access_token").asString();
    }

    /** Fetches a public URL the server printed, on this test's port. */
    private StaticHttp.Answer fetch(String url) {
        return http.get(URI.create(url).getRawPath());
    }

    private List<String> storedPaths() {
        List<String> paths = new ArrayList<>();
        owner.get(AdminApi.API + "/projects/" + projectId + "/static?prefix=uploads/").expect(200).json()
                .forEach(file -> paths.add(file.get("path").asString()));
        return paths;
    }

    @Test
    void filesAreStoredAsStaticFilesAndTheirUrlsPutIntoTheDocument() {
        JsonNode created = create("products", Multipart.form()
                .field("data", "{\"name\": \"Laptop\", \"price\": 1299}")
                .file("main_image", "laptop.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'})
                .file("gallery", "one.jpg", "front")
                .file("gallery", "two.jpg", "back"), null).expect(201).json();

        String id = created.get("id").asString();
        JsonNode data = created.get("data");
        assertThat(created.get("collection").get("name").asString()).isEqualTo("products");
        assertThat(data.get("name").asString()).isEqualTo("Laptop");
        assertThat(data.get("price").asInt()).isEqualTo(1299);
        String image = data.get("main_image").asString();
        assertThat(image).endsWith("/static/" + projectId + "/uploads/products/" + id + "/main_image/laptop.png");
        assertThat(data.get("gallery")).hasSize(2);
        assertThat(fetch(image).expect(200).header("Content-Type")).isEqualTo("image/png");
        assertThat(fetch(data.get("gallery").get(1).asString()).expect(200).text()).isEqualTo("back");

        JsonNode read = AdminApi.anonymous(port).send("GET", "/collections/products/documents/" + id, null,
                Map.of("x-api-key", clientKey)).expect(200).json();
        assertThat(read.get("data").get("gallery").get(0).asString()).isEqualTo(data.get("gallery").get(0).asString());
        assertThat(storedPaths()).containsExactly("uploads/products/" + id + "/gallery/one.jpg",
                "uploads/products/" + id + "/gallery/two.jpg", "uploads/products/" + id + "/main_image/laptop.png");
    }

    @Test
    void theJsonCreateAtTheSameUrlIsUntouched() {
        JsonNode created = AdminApi.anonymous(port).send("POST", "/collections/documents?collection=notes",
                Map.of("data", Map.of("text", "plain")), Map.of("x-api-key", clientKey)).expect(201).json();

        assertThat(created.get("data").get("text").asString()).isEqualTo("plain");
    }

    @Test
    void anIdInDataIsTheDocumentsIdAndNamesItsFolder() {
        JsonNode created = create("posts", Multipart.form().field("data", "{\"id\": \"post-1\"}")
                .file("cover", "c.txt", "cover"), null).expect(201).json();

        assertThat(created.get("id").asString()).isEqualTo("post-1");
        assertThat(storedPaths()).containsExactly("uploads/posts/post-1/cover/c.txt");
    }

    @Test
    void deletingDocumentsOrTheirCollectionDeletesTheirFiles() {
        for (String id : List.of("a", "b", "c")) {
            create("posts", Multipart.form().field("data", "{\"id\": \"" + id + "\"}").file("cover", "c.txt", id),
                    null).expect(201);
        }
        create("notes", Multipart.form().field("data", "{\"id\": \"n\"}").file("f", "f.txt", "n"), null)
                .expect(201);
        AdminApi.Response deleted = AdminApi.anonymous(port).send("DELETE", "/collections/posts/documents/a", null,
                Map.of("x-api-key", clientKey));
        deleted.expect(200);
        AdminApi.anonymous(port).send("POST", "/collections/posts/batch/documents/delete",
                Map.of("document_ids", List.of("b")), Map.of("x-api-key", clientKey)).expect(200);
        assertThat(storedPaths()).containsExactlyInAnyOrder("uploads/posts/c/cover/c.txt", "uploads/notes/n/f/f.txt");

        owner.delete(AdminApi.API + "/projects/" + projectId + "/collections/posts").expect(204);

        assertThat(storedPaths()).containsExactly("uploads/notes/n/f/f.txt");
    }

    @Test
    void anUpdateWithFilesWithoutTheReadRuleAnswersOnlyTheFieldsSent() {
        AdminApi.anonymous(port).send("POST", "/collections", Map.of("name", "inbox", "permissions",
                Map.of("read", List.of("admin"))), Map.of("x-api-key", serverKey)).expect(201);
        AdminApi.anonymous(port).send("POST", "/collections/documents?collection=inbox", Map.of("data",
                Map.of("id", "m1", "secret", "only-admins-read-this")), Map.of("x-api-key", serverKey)).expect(201);

        StaticHttp.Answer answer = send("PATCH", "/collections/inbox/documents/m1", Multipart.form()
                .field("data", "{\"seen\": true}").file("receipt", "r.txt", "r"), clientKey, null).expect(200);

        assertThat(answer.json().get("data").propertyNames()).containsExactlyInAnyOrder("seen", "receipt");
        assertThat(answer.text()).doesNotContain("only-admins-read-this");
    }

    @Test
    void anUpdateWithFilesReplacesTheFieldsEarlierFilesAndMergesData() {
        String id = create("users", Multipart.form().field("data", "{\"bio\": \"old\", \"keep\": 1}")
                .file("avatar", "old.png", "old"), null).expect(201).json().get("id").asString();
        String oldPath = storedPaths().getFirst();

        JsonNode updated = send("PATCH", "/collections/users/documents/" + id, Multipart.form()
                .field("data", "{\"bio\": \"new\"}").file("avatar", "new.png", "new"), clientKey, null)
                .expect(200).json();

        assertThat(updated.get("data").get("bio").asString()).isEqualTo("new");
        assertThat(updated.get("data").get("keep").asInt()).isEqualTo(1);
        assertThat(fetch(updated.get("data").get("avatar").asString()).expect(200).text()).isEqualTo("new");
        assertThat(storedPaths()).containsExactly("uploads/users/" + id + "/avatar/new.png");
        http.get("/static/" + projectId + "/" + oldPath).expect(404);
        send("PATCH", "/collections/users/documents/nothing", Multipart.form().file("avatar", "a.png", "a"),
                clientKey, null).expect(404);
    }

    @Test
    void theCollectionsCreatePermissionAppliesAndARefusalStoresNoFile() {
        AdminApi.anonymous(port).send("POST", "/collections/", Map.of("name", "restricted", "permissions",
                Map.of("create", List.of("editor"))), Map.of("x-api-key", serverKey)).expect(201);
        Multipart form = Multipart.form().field("data", "{}").file("doc", "d.txt", "d");

        create("restricted", form, null).expect(401);
        create("restricted", form, signUp()).expect(403);
        send("POST", "/collections/documents?collection=restricted", form, null, null).expect(401);
        assertThat(storedPaths()).isEmpty();

        create("restricted", form, signUp("editor")).expect(201);
        assertThat(storedPaths()).hasSize(1);
    }

    @Test
    void inAnOwnerOnlyCollectionOnlyTheCreatorUpdatesWithFiles() {
        AdminApi.anonymous(port).send("POST", "/collections/", Map.of("name", "mine", "permissions",
                Map.of("owner_only", true)), Map.of("x-api-key", serverKey)).expect(201);
        String creator = signUp();
        String id = create("mine", Multipart.form().field("data", "{\"a\": 1}"), creator).expect(201).json()
                .get("id").asString();

        send("PATCH", "/collections/mine/documents/" + id, Multipart.form().file("f", "x.txt", "x"), clientKey,
                signUp()).expect(403);
        send("PATCH", "/collections/mine/documents/" + id, Multipart.form().file("f", "x.txt", "x"), clientKey,
                creator).expect(200);
    }

    @Test
    void aClientKeyWritesOnlyIntoItsOwnProject() {
        AdminApi other = AdminApi.newAccount(port);
        String otherProject = other.createProject();

        String url = create("notes", Multipart.form().file("f", "x.txt", "mine"), null).expect(201).json()
                .get("data").get("f").asString();

        assertThat(url).contains("/static/" + projectId + "/");
        assertThat(other.get(AdminApi.API + "/projects/" + otherProject + "/static").expect(200).json()).isEmpty();
        http.get(URI.create(url).getRawPath().replace(projectId, otherProject)).expect(404);
    }

    @Test
    void fileNamesAreReducedToSafeCharactersAndServedSandboxed() {
        JsonNode data = create("posts", Multipart.form().field("data", "{}")
                .file("att", "../../evil page.html", "<script>alert(1)</script>")
                .file("att", "..", "dots")
                .file("att", "a.txt", "one")
                .file("att", "a.txt", "two"), null).expect(201).json().get("data");

        List<String> urls = new ArrayList<>();
        data.get("att").forEach(url -> urls.add(url.asString()));
        assertThat(urls.get(0)).endsWith("/att/evil_page.html");
        assertThat(urls.get(1)).endsWith("/att/file");
        assertThat(urls.get(2)).endsWith("/att/a.txt");
        assertThat(urls.get(3)).endsWith("/att/a-2.txt");
        assertThat(fetch(urls.get(0)).expect(200).header("Content-Security-Policy")).contains("sandbox");
    }

    @Test
    void malformedWritesAreRefusedWithAReason() {
        assertThat(create("c", Multipart.form().field("data", "{not json"), null).expect(400).detail())
                .contains("data");
        assertThat(create("c", Multipart.form().field("data", "[1]"), null).expect(400).detail())
                .contains("JSON object");
        assertThat(create("c", Multipart.form().field("data", "{}").field("title", "x"), null).expect(400)
                .detail()).contains("title");
        assertThat(create("c", Multipart.form().file("id", "x.txt", "x"), null).expect(400).detail())
                .contains("'id'");
        assertThat(create("c", Multipart.form().field("data", "{\"f\": 1}").file("f", "x.txt", "x"), null)
                .expect(400).detail()).contains("both");
        assertThat(create("c", Multipart.form(), null).expect(400).detail()).contains("data");
        assertThat(send("POST", "/collections/documents", Multipart.form().field("data", "{}"), clientKey, null)
                .expect(400).detail()).contains("collection");
        assertThat(create("bad/name", Multipart.form().file("f", "x.txt", "x"), null).status()).isEqualTo(400);
        Multipart many = Multipart.form();
        for (int i = 0; i < 21; i++) {
            many.file("f", "x" + i + ".txt", "x");
        }
        assertThat(create("c", many, null).expect(400).detail()).contains("20 files");
        assertThat(storedPaths()).isEmpty();
    }
}
