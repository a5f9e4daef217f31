package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.IntegrationTest;

/** Each bad request to /collections is a 400 whose detail names what was wrong. */
@IntegrationTest
class ClientBadInputTest {

    @LocalServerPort
    int port;

    ClientApp app;

    @BeforeEach
    void project() {
        app = ClientApp.newProject(port);
    }

    private String detail(String method, String path, Object body) {
        return app.call(method, path, body).expect(400).json().get("detail").asString();
    }

    @Test
    void dataMustBeAnObject() {
        assertThat(detail("POST", "/collections/documents?collection=c", Map.of("data", List.of(1, 2))))
                .contains("data");
        assertThat(detail("POST", "/collections/documents?collection=c", Map.of("data", "text"))).contains("data");
        assertThat(detail("POST", "/collections/documents?collection=c", Map.of("other", Map.of()))).contains("data");
        String id = app.create("c", Map.of("a", 1));
        assertThat(detail("PATCH", "/collections/c/documents/" + id, Map.of("data", 5))).contains("data");
        assertThat(detail("PUT", "/collections/c/documents/" + id, Map.of("data", List.of()))).contains("data");
    }

    @Test
    void malformedJsonIs400() {
        assertThat(detail("POST", "/collections/documents?collection=c", "{\"data\": {")).containsIgnoringCase("JSON");
        assertThat(detail("POST", "/collections/c/batch/documents/create", "[1, 2]")).isNotBlank();
    }

    @Test
    void anUnknownOperatorOrBadFieldIsNamed() {
        assertThat(detail("GET", "/collections/c/documents?views__between=1", null)).contains("between");
        assertThat(detail("GET", "/collections/c/query/documents/count?views__between=1", null)).contains("between");
        assertThat(detail("GET", "/collections/c/documents?sort=" + ClientApp.q("a..b"), null)).contains("a..b");
        assertThat(detail("GET", "/collections/c/query/documents/aggregate?field=" + ClientApp.q("x;y")
                + "&operation=sum", null)).contains("x;y");
    }

    @Test
    void limitsAndOffsetsAreChecked() {
        assertThat(detail("GET", "/collections/c/documents?limit=1001", null)).contains("limit");
        assertThat(detail("GET", "/collections/c/documents?limit=ten", null)).contains("limit");
        assertThat(detail("GET", "/collections/c/documents?offset=-1", null)).contains("offset");
        assertThat(detail("GET", "/collections/c/documents?order=sideways", null)).contains("order");
    }

    @Test
    void aBadCollectionNameIsNamed() {
        assertThat(detail("POST", "/collections/documents?collection=" + ClientApp.q("no spaces"),
                Map.of("data", Map.of()))).contains("no spaces");
        assertThat(detail("POST", "/collections/documents", Map.of("data", Map.of()))).contains("collection");
    }

    @Test
    void aDocumentOver1MbIsRefused() {
        String big = "x".repeat(2 * 1024 * 1024);
        assertThat(detail("POST", "/collections/documents?collection=c", Map.of("data", Map.of("big", big))))
                .contains("limit");
    }

    @Test
    void batchesAreCheckedAndBounded() {
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(Map.of("n", i));
        }
        assertThat(detail("POST", "/collections/c/batch/documents/create", Map.of("documents", many)))
                .contains("1000");
        assertThat(detail("POST", "/collections/c/batch/documents/create", Map.of("documents", List.of(1))))
                .contains("documents[0]");
        assertThat(detail("POST", "/collections/c/batch/documents/update", Map.of("updates", List.of())))
                .contains("updates");
        assertThat(detail("POST", "/collections/c/batch/documents/delete", Map.of("document_ids", List.of(1))))
                .contains("document_ids");
        assertThat(app.call("GET", "/collections/c/documents", null).expect(200).json()).isEmpty();
    }
}
