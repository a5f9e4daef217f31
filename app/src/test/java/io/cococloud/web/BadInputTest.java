package io.cococloud.web;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** Bad input gets a clear 4xx problem naming what is wrong: never a 500, never a stack trace. */
@IntegrationTest
class BadInputTest {

    @LocalServerPort
    int port;

    AdminApi api;

    @BeforeEach
    void signedIn() {
        api = AdminApi.root(port);
    }

    @Test
    void malformedJsonIs400AndSaysWhere() {
        AdminApi.Response response = api.post(API + "/projects", "{\"name\": ").expect(400);
        assertProblem(response, "malformed-request", "Malformed JSON");
        assertThat(response.json().get("detail").asString()).contains("line 1");
    }

    @Test
    void aFieldOfTheWrongTypeIs400NamingTheField() {
        assertProblem(api.post(API + "/projects", "{\"name\": [\"x\"]}").expect(400), "malformed-request",
                "'name'");
        assertProblem(api.post(API + "/projects", "{\"name\": 42}").expect(400), "malformed-request", "'name'");
    }

    @Test
    void anUnknownFieldIs400NamingTheField() {
        assertProblem(api.post(API + "/projects", "{\"name\": \"ok\", \"colour\": \"red\"}").expect(400),
                "malformed-request", "Unknown field 'colour'");
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() {
        assertProblem(api.post(API + "/projects", "[1, 2]").expect(400), "malformed-request", "JSON object");
    }

    @Test
    void anEmptyProjectNameIs400() {
        assertProblem(api.post(API + "/projects", Map.of("name", "   ")).expect(400), "validation",
                "name must not be blank");
    }

    @Test
    void aMissingProjectNameIs400NamingIt() {
        AdminApi.Response response = api.post(API + "/projects", Map.of()).expect(400);
        assertProblem(response, "validation", "name");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
    }

    @Test
    void aDuplicateSlugIs409AndTheFirstProjectIsUntouched() {
        String slug = "dup-" + Long.toHexString(System.nanoTime());
        String first = api.post(API + "/projects", Map.of("name", "First", "slug", slug)).expect(201).json()
                .get("id").asString();
        assertProblem(api.post(API + "/projects", Map.of("name", "Second", "slug", slug)).expect(409), "conflict",
                slug);
        assertThat(api.get(API + "/projects/" + slug).expect(200).json().get("id").asString()).isEqualTo(first);
        assertThat(api.get(API + "/projects/" + slug).json().get("name").asString()).isEqualTo("First");
    }

    @Test
    void anInvalidSlugIs400() {
        assertProblem(api.post(API + "/projects", Map.of("name", "x", "slug", "Not A Slug")).expect(400),
                "validation", "slug");
    }

    @Test
    void anInvalidRoleIs400() {
        String project = api.createProject();
        assertProblem(api.post(API + "/projects/" + project + "/members",
                Map.of("email", AdminApi.ROOT_EMAIL, "role", "emperor")).expect(400), "malformed-request", "role");
    }

    @Test
    void aMalformedIdInThePathIs400() {
        String project = api.createProject();
        assertProblem(api.delete(API + "/projects/" + project + "/keys/not-a-uuid").expect(400), "validation",
                "keyId");
    }

    @Test
    void headersOver8KbAre400() {
        AdminApi.Response response = api.send("GET", API + "/me", null, Map.of("X-Padding", "x".repeat(9000)))
                .expect(400);
        assertProblem(response, "request-too-large", "headers");
    }

    @Test
    void pathAndQueryOver4KbAre400() {
        assertProblem(api.get(API + "/me?q=" + "x".repeat(5000)).expect(400), "request-too-large", "Path and query");
    }

    @Test
    void bodiesOver32MbAre400() {
        String huge = "{\"name\": \"" + "a".repeat(33 * 1024 * 1024) + "\"}";
        assertProblem(api.post(API + "/projects", huge).expect(400), "request-too-large", "body");
    }

    @Test
    void anUnsupportedContentTypeIs415() {
        assertProblem(api.send("POST", API + "/projects", "name=x", Map.of("Content-Type", "text/plain"))
                .expect(415), "unsupported-media-type", "text/plain");
    }

    @Test
    void anUnsupportedMethodIs405() {
        assertProblem(api.put(API + "/projects", Map.of("name", "x")).expect(405), "method-not-allowed", "PUT");
    }

    @Test
    void anUnknownPathIs404() {
        assertProblem(api.get(API + "/no-such-thing").expect(404), "not-found", "no-such-thing");
    }

    private static void assertProblem(AdminApi.Response response, String type, String detailContains) {
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("urn:cococloud:problem:" + type);
        assertThat(response.json().get("detail").asString()).contains(detailContains);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
