package io.cococloud.web;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * Requests refused before any controller (an encoded '/' or NUL in the path) get the same kind of
 * answer as every other error: a problem document, or on execution URLs their JSON error; never
 * Tomcat's HTML page nor Spring Boot's own error JSON.
 */
@IntegrationTest
class ErrorDocumentsTest {

    @LocalServerPort
    int port;

    AdminApi owner;
    String project;
    String clientKey;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        project = owner.createProject();
        clientKey = owner.post(API + "/projects/" + project + "/keys", Map.of("kind", "client")).expect(201).json()
                .get("key").asString();
    }

    @Test
    void anEncodedSlashInAClientApiPathIsAProblemDocument() {
        assertProblem(client("/collections/a%2Fb/documents"), "/collections/a%2Fb/documents");
    }

    @Test
    void anEncodedNulInAClientApiPathIsAProblemDocument() {
        assertProblem(client("/collections/a%00b/documents"), "/collections/a%00b/documents");
    }

    @Test
    void anEncodedSlashOrNulInAnAdminPathIsAProblemDocument() {
        assertProblem(owner.get(API + "/projects/" + project + "/collections/a%2Fb"), null);
        assertProblem(owner.get(API + "/projects/" + project + "/collections/a%00b"), null);
    }

    @Test
    void aPathTheSecurityFirewallRefusesIsAProblemDocument() {
        // Tomcat lets an encoded ';' or '%' through; Spring Security refuses it with a bare 400.
        assertProblem(client("/collections/a%3Bb/documents"), "/collections/a%3Bb/documents");
        assertProblem(client("/collections/a%25b/documents"), "/collections/a%25b/documents");
    }

    @Test
    void aPathTheSecurityFirewallRefusesOnAnExecutionUrlIsItsJsonError() {
        AdminApi.Response response = AdminApi.anonymous(port).get("/functions/a%3Bb/execute");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().get("error").asString()).isEqualTo("InvalidArgument");
        assertThat(response.body()).doesNotContain("timestamp");
    }

    @Test
    void anEncodedSlashOrNulInAnExecutionUrlIsItsJsonError() {
        for (String path : new String[] {"/functions/a%2Fb/execute", "/functions/a%00b/execute",
                "/functions/f/invoke/x%2Fy", "/p/" + project + "/a%00b"}) {
            AdminApi.Response response = AdminApi.anonymous(port).get(path);
            assertThat(response.status()).as(path).isBetween(400, 499);
            assertThat(response.header("Content-Type")).as(path).startsWith("application/json");
            assertThat(response.json().get("error").asString()).as(path).isNotBlank();
            assertThat(response.body()).as(path).doesNotContain("<html").doesNotContain("timestamp");
        }
    }

    private AdminApi.Response client(String path) {
        return AdminApi.anonymous(port).send("GET", path, null, Map.of("x-api-key", clientKey));
    }

    private static void assertProblem(AdminApi.Response response, String instance) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).startsWith("urn:cococloud:problem:");
        assertThat(response.json().get("detail").asString()).isNotBlank();
        if (instance != null) {
            assertThat(response.json().get("instance").asString()).isEqualTo(instance);
        }
        assertThat(response.body()).doesNotContain("<html").doesNotContain("timestamp");
    }
}
