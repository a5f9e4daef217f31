package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.storage.StaticFileService;
import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * Replays the HTTP exchanges of the Flutter SDK, {@code coco_base_flutter} at commit b54b748
 * (github.com/cocobase-team/coco_base_flutter), as its {@code lib/coco_base_flutter.dart} builds them, and reads each
 * answer the way its {@code lib/models.dart} parses it. Dart is not installed here, so {@link Dio} below does what
 * the SDK's Dio client does: base header {@code Content-Type: application/json}, {@code x-api-key} and, once signed
 * in, {@code Authorization: Bearer} (the interceptor, lines 65-77); a body wrapped as {@code {"data": ...}} unless
 * the call passes {@code useDataKey: false} (_request, lines 80-124), and no body at all on GET and DELETE
 * (lines 92-103). Query strings are what {@code lib/query.dart}'s QueryBuilder.build() writes.
 */
@IntegrationTest
class FlutterSdkDialectTest {

    @LocalServerPort
    int port;

    @Autowired
    StaticFileService files;

    ClientApp app;
    Dio dio;

    @BeforeEach
    void project() {
        app = ClientApp.newProject(port);
        dio = new Dio(port, app.clientKey);
    }

    /** The SDK's Dio client and its _request: what goes on the wire. */
    static final class Dio {
        private final AdminApi http;
        private final String apiKey;
        private final int port;
        String token;

        Dio(int port, String apiKey) {
            this.port = port;
            this.http = AdminApi.anonymous(port);
            this.apiKey = apiKey;
        }

        /** _request(method, path, body: body, useDataKey: useDataKey). */
        AdminApi.Response request(String method, String path, Object body, boolean useDataKey) {
            Map<String, String> headers = new HashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("x-api-key", apiKey);
            if (token != null) {
                headers.put("Authorization", "Bearer " + token);
            }
            Object data = useDataKey && body != null ? Map.of("data", body) : body;
            boolean sendsBody = (method.equals("POST") || method.equals("PATCH")) && body != null;
            return http.send(method, path, sendsBody ? data : null, headers);
        }

        AdminApi.Response request(String method, String path) {
            return request(method, path, null, true);
        }

        /**
         * What uploadFileFromPath (lines 126-140) means to send: multipart with the file in {@code file}. (As
         * released it wraps the FormData in {@code {"data": formData}}, which Dio cannot JSON-encode; the JS SDK's
         * uploadFile sends exactly this form, with x-api-key only.)
         */
        HttpResponse<String> upload(String filename, String contentType, byte[] content) throws Exception {
            String boundary = "--dio-boundary-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            var body = new java.io.ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\ncontent-disposition: form-data; name=\"file\"; filename=\""
                    + filename + "\"\r\ncontent-type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/collections/file")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .header("x-api-key", apiKey).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            try (HttpClient client = HttpClient.newHttpClient()) {
                return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
        }
    }

    // ------------------------------------------------------------------ models.dart, as Java reads them

    /**
     * Document.fromJson: id a String, collection a Map (the field is {@code Map<String, dynamic>}: a string there is
     * a Dart type error), data, created_at parsed, updated_at parsed when present.
     */
    private static JsonNode document(JsonNode json) {
        assertThat(json.get("id").isString()).as("id").isTrue();
        assertThat(json.get("collection").isObject()).as("collection is a Map").isTrue();
        assertThat(json.get("data").isObject()).as("data").isTrue();
        dateTime(json.get("created_at"));
        if (!json.get("updated_at").isNull()) {
            dateTime(json.get("updated_at"));
        }
        return json;
    }

    /** Collection.fromJson: id and name Strings, created_at a DateTime. */
    private static JsonNode collection(JsonNode json) {
        assertThat(json.get("id").isString()).as("id").isTrue();
        assertThat(json.get("name").isString()).as("name").isTrue();
        dateTime(json.get("created_at"));
        return json;
    }

    /** DateTime.parse of an ISO-8601 text. */
    private static void dateTime(JsonNode text) {
        assertThat(text.isString()).isTrue();
        OffsetDateTime.parse(text.asString());
    }

    private static List<String> ids(JsonNode documents) {
        List<String> ids = new ArrayList<>();
        documents.forEach(document -> ids.add(document(document).get("id").asString()));
        return ids;
    }

    private void seedBooks() {
        Object[][] books = {{"b1", "Dune", "Frank Herbert", "scifi", 5, "published"},
            {"b2", "Emma", "Jane Austen", "classic", 4, "published"},
            {"b3", "Ubik", "Philip K. Dick", "scifi", 3, "published"},
            {"b4", "Persuasion", "Jane Austen", "classic", 5, "draft"},
            {"b5", "Solaris", "Stanislaw Lem", "scifi", 4, "published"}};
        for (Object[] book : books) {
            Map<String, Object> data = new LinkedHashMap<>(Map.of("id", book[0], "title", book[1], "author", book[2],
                    "genre", book[3], "rating", book[4], "status", book[5]));
            dio.request("POST", "/collections/books/documents", data, true).expect(201);
        }
    }

    // ------------------------------------------------------------------ documents

    @Test
    void createDocumentPostsToTheCollectionsPathAndTheAnswerParsesAsADocument() {
        // createDocument (lines 274-281): POST /collections/$collection/documents, body {"data": data}
        JsonNode created = document(dio.request("POST", "/collections/books/documents",
                Map.of("title", "Dune", "rating", 5), true).expect(201).json());

        assertThat(created.get("collection").get("name").asString()).isEqualTo("books");
        assertThat(created.get("collection_id").asString()).isEqualTo("books");
        assertThat(created.get("data").get("title").asString()).isEqualTo("Dune");
        assertThat(app.call("GET", "/collections/books/documents/" + created.get("id").asString(), null).expect(200)
                .json().get("data").get("rating").asInt()).isEqualTo(5);
    }

    @Test
    void getDocumentWithPopulateAnswersTheDocumentWithItsReferenceReplaced() {
        dio.request("POST", "/collections/authors/documents", Map.of("id", "a1", "name", "Ursula"), true).expect(201);
        dio.request("POST", "/collections/books/documents", Map.of("id", "b1", "author_id", "a1"), true).expect(201);

        // getDocument (lines 234-247): populate.map((p) => 'populate=$p').join('&')
        JsonNode book = document(dio.request("GET", "/collections/books/documents/b1?populate=author").expect(200)
                .json());

        assertThat(book.get("data").get("author").get("name").asString()).isEqualTo("Ursula");
    }

    @Test
    void listDocumentsReadsDoubleUnderscoreFiltersSortByAndPaging() {
        seedBooks();
        // QueryBuilder().where('status', 'published').whereGreaterThanOrEqual('rating', 4)
        //     .sortBy('title', order: 'desc').limit(2).offset(1).build()
        String query = "status=published&rating__gte=4&sort_by=title&order=desc&limit=2&offset=1";

        JsonNode page = dio.request("GET", "/collections/books/documents?" + query).expect(200).json();

        // published with rating >= 4, by title descending: Solaris, Emma, Dune; the page skips one and takes two
        assertThat(ids(page)).containsExactly("b2", "b1");
    }

    @Test
    void listDocumentsReadsInNotInIsNullAndStartsWith() {
        seedBooks();
        dio.request("POST", "/collections/books/documents", Map.of("id", "b6", "title", "Untitled"), true)
                .expect(201);

        assertThat(ids(dio.request("GET", "/collections/books/documents?genre__in=" + ClientApp.q("classic,poetry"))
                .expect(200).json())).containsExactlyInAnyOrder("b2", "b4");
        assertThat(ids(dio.request("GET", "/collections/books/documents?genre__notin=scifi&genre__isnull=false")
                .expect(200).json())).containsExactlyInAnyOrder("b2", "b4");
        assertThat(ids(dio.request("GET", "/collections/books/documents?genre__isnull=true").expect(200).json()))
                .containsExactly("b6");
        assertThat(ids(dio.request("GET", "/collections/books/documents?title__startswith=s").expect(200).json()))
                .containsExactly("b5");
    }

    @Test
    void listDocumentsReadsOrGroupsAndMultiFieldSearch() {
        seedBooks();
        // .or('genre', 'classic').orGreaterThan('rating', 4) → [or]genre=classic&[or]rating__gt=4
        assertThat(ids(dio.request("GET", "/collections/books/documents?" + ClientApp.q("[or]genre") + "=classic&"
                + ClientApp.q("[or]rating__gt") + "=4").expect(200).json()))
                .containsExactlyInAnyOrder("b1", "b2", "b4");
        // .searchInFields(['title', 'author'], 'lem') → title__or__author__contains=lem
        assertThat(ids(dio.request("GET", "/collections/books/documents?title__or__author__contains=lem")
                .expect(200).json())).containsExactly("b5");
    }

    @Test
    void sortAndSortByNamingDifferentFieldsIsAProblemNamingBoth() {
        AdminApi.Response answer = dio.request("GET", "/collections/books/documents?sort=title&sort_by=rating")
                .expect(400);

        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("detail").asString()).contains("sort", "sort_by");
    }

    @Test
    void updateDocumentPatchesWithTheDataKeyAndTheAnswerParsesAsADocument() {
        seedBooks();
        // updateDocument (lines 284-295): PATCH, body {"data": data}
        JsonNode updated = document(dio.request("PATCH", "/collections/books/documents/b3", Map.of("rating", 5), true)
                .expect(200).json());

        assertThat(updated.get("data").get("rating").asInt()).isEqualTo(5);
        assertThat(updated.get("data").get("title").asString()).isEqualTo("Ubik");
    }

    // ------------------------------------------------------------------ batches

    @Test
    void batchUpdatePatchesAListOfIdAndFieldsAndAnswersHowManyItUpdated() {
        seedBooks();
        // batchUpdateDocuments (lines 410-421): PATCH .../batch/documents/update, {"updates": [...]}, no data key;
        // the entries as the SDK's docs write them: {'id': 'doc-1', 'price': 19.99}
        JsonNode answer = dio.request("PATCH", "/collections/books/batch/documents/update", Map.of("updates", List.of(
                Map.of("id", "b1", "rating", 1), Map.of("id", "b2", "rating", 2), Map.of("id", "nope", "rating", 3))),
                false).expect(200).json();

        // BatchUpdateResponse.fromJson reads json['updated'] as an int
        assertThat(answer.get("updated").isInt()).isTrue();
        assertThat(answer.get("updated").asInt()).isEqualTo(2);
        assertThat(answer.get("error_ids").get(0).asString()).isEqualTo("nope");
        assertThat(app.call("GET", "/collections/books/documents/b2", null).expect(200).json().get("data")
                .get("rating").asInt()).isEqualTo(2);
    }

    @Test
    void batchUpdateInAnOwnerOnlyCollectionLeavesOtherUsersDocumentsAlone() {
        app.server("POST", "/collections", Map.of("name", "notes", "permissions", Map.of("owner_only", true)))
                .expect(201);
        String alice = app.signUp();
        String bob = app.signUp();
        String alices = app.as(alice, "POST", "/collections/notes/documents", Map.of("data", Map.of("n", 1)))
                .expect(201).json().get("id").asString();
        dio.token = bob;

        JsonNode answer = dio.request("PATCH", "/collections/notes/batch/documents/update", Map.of("updates",
                List.of(Map.of("id", alices, "n", 2))), false).expect(200).json();

        assertThat(answer.get("updated").asInt()).isZero();
        assertThat(app.as(alice, "GET", "/collections/notes/documents/" + alices, null).expect(200).json()
                .get("data").get("n").asInt()).isEqualTo(1);
    }

    @Test
    void batchDeleteAsTheSdkSendsItWithoutABodyIsAProblemNamingTheIds() {
        seedBooks();
        // batchDeleteDocuments (lines 424-435) passes body {'ids': ids}, but _request's DELETE calls
        // _dio.delete(path) without it (line 102): the server receives no ids.
        AdminApi.Response answer = dio.request("DELETE", "/collections/books/batch/documents/delete",
                Map.of("ids", List.of("b1")), false).expect(400);

        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("detail").asString()).contains("ids");
        assertThat(app.call("GET", "/collections/books/documents/b1", null).status()).isEqualTo(200);
    }

    @Test
    void batchDeleteWithTheIdsTheSdkMeansToSendAnswersHowManyItDeleted() {
        seedBooks();
        JsonNode answer = app.send("DELETE", "/collections/books/batch/documents/delete",
                Map.of("ids", List.of("b1", "b2", "nope")), app.clientKey, null).expect(200).json();

        // BatchDeleteResponse.fromJson reads json['deleted'] as an int
        assertThat(answer.get("deleted").asInt()).isEqualTo(2);
        assertThat(answer.get("failed").asInt()).isEqualTo(1);
        assertThat(app.call("GET", "/collections/books/documents/b1", null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ queries

    @Test
    void countAndAggregateAnswerWhatCountResponseAndAggregateResponseRead() {
        seedBooks();
        // countDocuments (lines 462-480) and aggregateDocuments (lines 505-529)
        JsonNode count = dio.request("GET", "/collections/books/query/documents/count?genre=scifi&rating__gte=4")
                .expect(200).json();
        JsonNode sum = dio.request("GET", "/collections/books/query/documents/aggregate?field=rating&operation=sum"
                + "&status=published").expect(200).json();

        assertThat(count.get("count").isInt()).isTrue();
        assertThat(count.get("count").asInt()).isEqualTo(2);
        assertThat(sum.get("result").isNumber()).isTrue();
        assertThat(sum.get("result").asDouble()).isEqualTo(16.0);
    }

    @Test
    void groupByAnswersAListOfValueAndCountLargestFirstUnderTheFilters() {
        seedBooks();
        // groupByField (lines 550-573): ?field=$field&<filters>; GroupByResponse.fromJson(List) of {value, count}
        JsonNode groups = dio.request("GET", "/collections/books/query/documents/group-by?field=genre&status=published")
                .expect(200).json();

        assertThat(groups.isArray()).isTrue();
        assertThat(groups.get(0).get("value").asString()).isEqualTo("scifi");
        assertThat(groups.get(0).get("count").asInt()).isEqualTo(3);
        assertThat(groups.get(1).get("value").asString()).isEqualTo("classic");
        assertThat(groups.get(1).get("count").asInt()).isEqualTo(1);
        assertThat(groups).hasSize(2);
    }

    @Test
    void groupByWithoutAFieldIsAProblemNamingField() {
        AdminApi.Response answer = dio.request("GET", "/collections/books/query/documents/group-by").expect(400);

        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("detail").asString()).contains("field");
    }

    @Test
    void schemaAnswersEachFieldWithItsTypeAndWhetherItCanBeMissing() {
        dio.request("POST", "/collections/books/documents", Map.of("title", "Dune", "rating", 5), true).expect(201);
        dio.request("POST", "/collections/books/documents", Map.of("title", "Emma", "tags", List.of("x")), true)
                .expect(201);

        // getCollectionSchema (lines 576-582): SchemaResponse.fromJson reads fields: [{name, type, nullable}]
        JsonNode fields = dio.request("GET", "/collections/books/query/schema").expect(200).json().get("fields");

        Map<String, String> types = new HashMap<>();
        Map<String, Boolean> nullable = new HashMap<>();
        fields.forEach(field -> {
            types.put(field.get("name").asString(), field.get("type").asString());
            nullable.put(field.get("name").asString(), field.get("nullable").asBoolean());
        });
        assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of("title", "string", "rating", "number", "tags",
                "array"));
        assertThat(nullable).containsExactlyInAnyOrderEntriesOf(Map.of("title", false, "rating", true, "tags", true));
    }

    @Test
    void exportAsJsonAnswersTheDocumentsAsTheSdkReadsThem() {
        seedBooks();
        // exportCollection (lines 585-600): ?format=json
        JsonNode exported = dio.request("GET", "/collections/books/export?format=json").expect(200).json();

        assertThat(ids(exported)).containsExactly("b1", "b2", "b3", "b4", "b5");
    }

    @Test
    void exportAsCsvAnswersAHeaderAndOneQuotedRowPerDocument() {
        dio.request("POST", "/collections/quotes/documents", Map.of("id", "q1", "text", "Yes, \"no\"", "n", 1), true)
                .expect(201);

        AdminApi.Response answer = dio.request("GET", "/collections/quotes/export?format=csv").expect(200);

        assertThat(answer.header("Content-Type")).startsWith("text/csv");
        String[] lines = answer.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("id,created_at,updated_at,n,text");
        assertThat(lines[1]).startsWith("q1,").endsWith(",1,\"Yes, \"\"no\"\"\"");
        assertThat(lines).hasSize(2);
    }

    @Test
    void exportInAnUnknownFormatIsAProblemNamingFormat() {
        AdminApi.Response answer = dio.request("GET", "/collections/books/export?format=xml").expect(400);

        assertThat(answer.json().get("detail").asString()).contains("format");
    }

    @Test
    void exportNeedsTheCollectionsReadPermission() {
        app.server("POST", "/collections", Map.of("name", "secrets", "permissions", Map.of("read", List.of("admin"))))
                .expect(201);

        dio.request("GET", "/collections/secrets/export?format=json").expect(401);
    }

    // ------------------------------------------------------------------ collections

    @Test
    void createCollectionAnswersWhatCollectionFromJsonReads() {
        Dio server = new Dio(port, app.serverKey);
        // createCollection (lines 164-172): POST /collections/ {"name": name}, no data key
        JsonNode created = collection(server.request("POST", "/collections/", Map.of("name", "shelves"), false)
                .expect(201).json());

        assertThat(created.get("name").asString()).isEqualTo("shelves");
    }

    @Test
    void listCollectionsAnswersTheCollectionsTheCallerMayRead() {
        dio.request("POST", "/collections/books/documents", Map.of("t", 1), true).expect(201);
        app.server("POST", "/collections", Map.of("name", "secrets", "permissions", Map.of("read", List.of("admin"))))
                .expect(201);

        // listCollections (lines 175-178): GET /collections/, a List of Collection.fromJson
        List<String> names = new ArrayList<>();
        dio.request("GET", "/collections/").expect(200).json()
                .forEach(collection -> names.add(collection(collection).get("name").asString()));

        assertThat(names).containsExactly("books");
    }

    @Test
    void getCollectionAnswersTheCollectionAndAnUnknownOneIsNotFound() {
        dio.request("POST", "/collections/books/documents", Map.of("t", 1), true).expect(201);

        // getCollection (lines 181-187)
        assertThat(collection(dio.request("GET", "/collections/books").expect(200).json()).get("id").asString())
                .isEqualTo("books");
        dio.request("GET", "/collections/nothing_here").expect(404);
    }

    @Test
    void updateCollectionRenamesItWithoutTheDataKeyAndTheAnswerParsesAsACollection() {
        seedBooks();
        Dio server = new Dio(port, app.serverKey);

        // updateCollection (lines 190-198): PATCH /collections/$nameOrId {"name": newName}, no data key
        JsonNode renamed = collection(server.request("PATCH", "/collections/books", Map.of("name", "novels"), false)
                .expect(200).json());

        assertThat(renamed.get("id").asString()).isEqualTo("novels");
        assertThat(renamed.get("name").asString()).isEqualTo("novels");
        assertThat(ids(dio.request("GET", "/collections/novels/documents?sort=title").expect(200).json()))
                .containsExactlyInAnyOrder("b1", "b2", "b3", "b4", "b5");
        dio.request("GET", "/collections/books").expect(404);
    }

    @Test
    void deleteCollectionWithAServerKeyDeletesItsDocumentsAndAnswersSuccess() {
        seedBooks();
        Dio server = new Dio(port, app.serverKey);

        // deleteCollection (lines 201-206): the SDK reads a Map<String, bool>
        JsonNode answer = server.request("DELETE", "/collections/books").expect(200).json();

        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(app.call("GET", "/collections/books/documents", null).expect(200).json()).isEmpty();
    }

    @Test
    void deleteCollectionWithAClientKeyIsForbidden() {
        seedBooks();

        dio.request("DELETE", "/collections/books").expect(403);

        assertThat(app.call("GET", "/collections/books/documents", null).expect(200).json()).hasSize(5);
    }

    @Test
    void anotherProjectsKeySeesNoneOfThisProjectsCollections() {
        seedBooks();
        ClientApp other = ClientApp.newProject(port);
        Dio stranger = new Dio(port, other.clientKey);

        assertThat(stranger.request("GET", "/collections/").expect(200).json()).isEmpty();
        assertThat(stranger.request("GET", "/collections/books/export?format=json").expect(200).json()).isEmpty();
        stranger.request("GET", "/collections/books").expect(404);
    }

    // ------------------------------------------------------------------ auth, as the SDK signs in

    @Test
    void loginAndGetCurrentUserAnswerWhatTokenResponseAndAppUserRead() {
        app.call("POST", "/auth-collections/signup", Map.of("email", "reader@example.test", "password", "password-1"))
                .expect(201);

        // login (lines 629-655): {email, password} without the data key, then GET /auth-collections/user
        JsonNode token = dio.request("POST", "/auth-collections/login", Map.of("email", "reader@example.test",
                "password", "password-1"), false).expect(200).json();
        dio.token = token.get("access_token").asString();
        JsonNode user = dio.request("GET", "/auth-collections/user").expect(200).json();

        assertThat(dio.token).isNotBlank();
        assertThat(user.get("id").isString()).isTrue();
        assertThat(user.get("email").asString()).isEqualTo("reader@example.test");
        dateTime(user.get("created_at"));
    }

    // ------------------------------------------------------------------ files

    @Test
    void uploadAnswersAUrlOnTheProjectsOwnStaticFilesThatServesTheFile() throws Exception {
        HttpResponse<String> answer = dio.upload("cover photo.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N',
                'G'});

        assertThat(answer.statusCode()).isEqualTo(201);
        String url = AdminApiJson.read(answer.body()).get("url").asString();
        assertThat(url).startsWith(files.url(UUID.fromString(app.projectId), "client-uploads/anonymous/"))
                .endsWith("/cover_photo.png");
        HttpResponse<byte[]> served;
        try (HttpClient client = HttpClient.newHttpClient()) {
            served = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + URI.create(url).getRawPath())).build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(served.body()).containsExactly((byte) 0x89, 'P', 'N', 'G');
    }

    @Test
    void anUploadedPageIsServedSandboxedSoItNeverRunsOnThisOrigin() throws Exception {
        String url = AdminApiJson.read(dio.upload("page.html", "text/html", "<script>alert(1)</script>".getBytes())
                .body()).get("url").asString();

        HttpResponse<String> served;
        try (HttpClient client = HttpClient.newHttpClient()) {
            served = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + URI.create(url).getRawPath())).build(), HttpResponse.BodyHandlers.ofString());
        }

        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("sandbox");
    }

    @Test
    void uploadWithoutAFileFieldIsAProblemNamingFile() {
        AdminApi.Response answer = dio.request("POST", "/collections/file", Map.of("x", 1), false).expect(400);

        assertThat(answer.json().get("detail").asString()).contains("'file'");
    }

    @Test
    void aSignedInUserListsItsOwnUploadsOnly() throws Exception {
        dio.token = app.signUp();
        String mine = AdminApiJson.read(dio.upload("mine.txt", "text/plain", "m".getBytes()).body()).get("url")
                .asString();
        Dio other = new Dio(port, app.clientKey);
        other.token = app.signUp();
        other.upload("theirs.txt", "text/plain", "t".getBytes());

        JsonNode listed = dio.request("GET", "/collections/files").expect(200).json();

        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("url").asString()).isEqualTo(mine);
        assertThat(new Dio(port, app.serverKey).request("GET", "/collections/files").expect(200).json()).hasSize(2);
    }

    @Test
    void listingUploadsWithoutSigningInIsUnauthenticated() {
        dio.request("GET", "/collections/files").expect(401);
    }

    @Test
    void theUploaderDeletesItsFileByUrlAndAnotherUserMayNot() throws Exception {
        dio.token = app.signUp();
        String url = AdminApiJson.read(dio.upload("mine.txt", "text/plain", "m".getBytes()).body()).get("url")
                .asString();
        Dio other = new Dio(port, app.clientKey);
        other.token = app.signUp();

        other.request("DELETE", "/collections/file?url=" + ClientApp.q(url)).expect(403);
        assertThat(dio.request("DELETE", "/collections/file?url=" + ClientApp.q(url)).expect(200).json()
                .get("success").asBoolean()).isTrue();
        dio.request("DELETE", "/collections/file?url=" + ClientApp.q(url)).expect(404);
    }

    @Test
    void anotherProjectsServerKeyCannotDeleteThisProjectsUpload() throws Exception {
        String url = AdminApiJson.read(dio.upload("mine.txt", "text/plain", "m".getBytes()).body()).get("url")
                .asString();
        Dio stranger = new Dio(port, ClientApp.newProject(port).serverKey);

        stranger.request("DELETE", "/collections/file?url=" + ClientApp.q(url)).expect(400);

        assertThat(new Dio(port, app.serverKey).request("GET", "/collections/files").expect(200).json().get(0)
                .get("url").asString()).isEqualTo(url);
    }

    /** The JSON of a raw answer. */
    private static final class AdminApiJson {
        static JsonNode read(String body) {
            return tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
        }
    }
}
