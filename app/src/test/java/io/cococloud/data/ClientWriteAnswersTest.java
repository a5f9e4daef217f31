package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * A write answers with the document, but a caller who may change a collection without reading it gets back only
 * the fields it sent: the answer is a read path too.
 */
@IntegrationTest
class ClientWriteAnswersTest {

    static final String SECRET = "only-admins-read-this";

    @LocalServerPort
    int port;

    ClientApp app;

    /** An inbox anyone may mark as seen but only admins read. */
    @BeforeEach
    void aWriteOnlyInbox() {
        app = ClientApp.newProject(port);
        app.server("POST", "/collections", Map.of("name", "inbox", "permissions", Map.of("read",
                List.of("admin")))).expect(201);
        app.server("POST", "/collections/documents?collection=inbox", Map.of("data", Map.of("id", "m1",
                "secret", SECRET))).expect(201);
    }

    @Test
    void anUpdateWithoutTheReadRuleAnswersOnlyTheFieldsSent() {
        AdminApi.Response answer = app.call("PATCH", "/collections/inbox/documents/m1", Map.of("data",
                Map.of("seen", true))).expect(200);
        assertThat(answer.json().get("data").propertyNames()).containsExactly("seen");
        assertThat(answer.body()).doesNotContain(SECRET);
        AdminApi.Response empty = app.call("PATCH", "/collections/inbox/documents/m1", Map.of("data", Map.of()))
                .expect(200);
        assertThat(empty.body()).doesNotContain(SECRET);
    }

    @Test
    void aBatchUpdateWithoutTheReadRuleAnswersOnlyTheFieldsSent() {
        AdminApi.Response answer = app.call("POST", "/collections/inbox/batch/documents/update", Map.of("updates",
                Map.of("m1", Map.of("seen", true)))).expect(200);
        assertThat(answer.json().get(0).get("data").propertyNames()).containsExactly("seen");
        assertThat(answer.body()).doesNotContain(SECRET);
    }

    @Test
    void aReaderGetsTheWholeDocumentBack() {
        String admin = app.signUp("admin");
        JsonNode byAdmin = app.as(admin, "PATCH", "/collections/inbox/documents/m1", Map.of("data",
                Map.of("seen", true))).expect(200).json();
        assertThat(byAdmin.get("data").get("secret").asString()).isEqualTo(SECRET);
        JsonNode byServer = app.server("PATCH", "/collections/inbox/documents/m1", Map.of("data",
                Map.of("seen", false))).expect(200).json();
        assertThat(byServer.get("data").get("secret").asString()).isEqualTo(SECRET);
    }
}
