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
 * JSON PostgreSQL cannot store as sent is a 400 naming the field, on every API: a NUL in a string
 * or a key (it was a 409 "duplicate?"), a lone surrogate (it became '?'), a number beyond a
 * double (1e400 was stored as the string "Infinity", 1e-400 as 0). Nothing is stored.
 * (JSON bodies are written out by hand here: the escapes are what a client really sends.)
 */
@IntegrationTest
class UnstorableJsonTest {

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
    void aNulInADocumentStringIs400NamingTheField() {
        assertRefused(createDocument("{\"data\": {\"title\": \"a\\u0000b\"}}"), "'data.title'", "NUL");
        assertRefused(createDocument("{\"data\": {\"tags\": [\"ok\", \"\\u0000\"]}}"), "'data.tags[1]'", "NUL");
        assertNothingStored();
    }

    @Test
    void aNulInADocumentKeyIs400NamingTheKey() {
        assertRefused(createDocument("{\"data\": {\"a\\u0000b\": 1}}"), "a\\u0000b", "NUL");
        assertRefused(createDocument("{\"data\": {\"nested\": {\"\\u0000\": 1}}}"), "'data.nested'", "NUL");
        assertNothingStored();
    }

    @Test
    void aLoneSurrogateInADocumentIs400NamingTheField() {
        assertRefused(createDocument("{\"data\": {\"name\": \"\\udc00\"}}"), "'data.name'", "lone surrogate");
        assertRefused(createDocument("{\"data\": {\"name\": \"x\\ud800y\"}}"), "'data.name'", "lone surrogate");
        assertNothingStored();
    }

    @Test
    void aSurrogatePairIsStoredAsTheCharacterItSpells() {
        client("POST", "/collections/documents?collection=posts", "{\"data\": {\"smile\": \"\\ud83d\\ude00\"}}")
                .expect(201);
        assertThat(client("GET", "/collections/posts/documents", null).expect(200).json().get(0).get("data")
                .get("smile").asString()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void numbersBeyondADoubleAre400NamingTheField() {
        assertRefused(createDocument("{\"data\": {\"n\": 1e400}}"), "'data.n'", "1e400");
        assertRefused(createDocument("{\"data\": {\"n\": -1e400}}"), "'data.n'", "-1e400");
        assertRefused(createDocument("{\"data\": {\"n\": 1" + "0".repeat(400) + "}}"), "'data.n'", "range");
        assertNothingStored();
    }

    @Test
    void aNumberTooSmallForADoubleIs400RatherThanStoredAsZero() {
        assertRefused(createDocument("{\"data\": {\"n\": 1e-400}}"), "'data.n'", "stored as 0");
        assertNothingStored();
    }

    @Test
    void zeroAndTheDoubleExtremesAreStoredExactly() {
        client("POST", "/collections/documents?collection=posts",
                "{\"data\": {\"zero\": 0.0, \"e\": 0e-400, \"max\": 1.7976931348623157e308, \"min\": 4.9e-324}}")
                .expect(201);
        var data = client("GET", "/collections/posts/documents", null).expect(200).json().get(0).get("data");
        assertThat(data.get("zero").asDouble()).isZero();
        assertThat(data.get("e").asDouble()).isZero();
        assertThat(data.get("max").asDouble()).isEqualTo(Double.MAX_VALUE);
        assertThat(data.get("min").asDouble()).isEqualTo(Double.MIN_VALUE);
    }

    @Test
    void aNulInSignUpDataIs400NamingTheField() {
        AdminApi.Response response = client("POST", "/auth-collections/signup", "{\"email\": \"nul@example.test\","
                + " \"password\": \"password-1\", \"data\": {\"bio\": \"\\u0000\"}}");
        assertRefused(response, "'data.bio'", "NUL");
        assertRefused(client("POST", "/auth-collections/signup", "{\"email\": \"nul2@example.test\","
                + " \"password\": \"pass\\u0000word\"}"), "'password'", "NUL");
    }

    @Test
    void aNulInATemplateIs400NamingTheField() {
        assertRefused(owner.post(API + "/projects/" + project + "/templates",
                "{\"name\": \"page.html\", \"content\": \"<p>\\u0000</p>\"}"), "'content'", "NUL");
        assertThat(owner.get(API + "/projects/" + project + "/templates").expect(200).body())
                .doesNotContain("page.html");
    }

    @Test
    void aNulInAnEmailTemplateIs400NamingTheField() {
        assertRefused(owner.post(API + "/projects/" + project + "/email-templates",
                "{\"id\": \"welcome\", \"subject\": \"Hi\\u0000\", \"html\": \"<p>hi</p>\"}"), "'subject'", "NUL");
        owner.get(API + "/projects/" + project + "/email-templates/welcome").expect(404);
    }

    private AdminApi.Response createDocument(String json) {
        return client("POST", "/collections/documents?collection=posts", json);
    }

    private AdminApi.Response client(String method, String path, String json) {
        return AdminApi.anonymous(port).send(method, path, json, Map.of("x-api-key", clientKey));
    }

    private void assertNothingStored() {
        assertThat(client("GET", "/collections/posts/documents", null).expect(200).json()).isEmpty();
    }

    private static void assertRefused(AdminApi.Response response, String field, String problem) {
        response.expect(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("urn:cococloud:problem:validation");
        assertThat(response.json().get("detail").asString()).contains(field).contains(problem);
    }
}
