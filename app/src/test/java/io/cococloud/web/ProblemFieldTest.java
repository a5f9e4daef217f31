package io.cococloud.web;

import static io.cococloud.support.AdminApi.API;
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
 * A refused write of the admin API names the request field it is about ({@code field}), so a form can show the
 * detail next to it; the detail stays the sentence it was.
 */
@IntegrationTest
class ProblemFieldTest {

    @LocalServerPort
    int port;

    AdminApi owner;
    String project;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        project = owner.createProject();
    }

    private String path(String rest) {
        return API + "/projects/" + project + rest;
    }

    private JsonNode refused(int status, AdminApi.Response response, String field) {
        JsonNode problem = response.expect(status).json();
        assertThat(problem.get("field")).as("field of %s", problem).isNotNull();
        assertThat(problem.get("field").asString()).as("%s", problem).isEqualTo(field);
        return problem;
    }

    @Test
    void projectCreateAndUpdateNameTheirFields() {
        assertThat(refused(400, owner.post(API + "/projects", Map.of("name", "   ")), "name").get("detail")
                .asString()).isEqualTo("name must not be blank");
        assertThat(refused(400, owner.post(API + "/projects", Map.of("name", "P", "slug", "No!")), "slug")
                .get("detail").asString()).startsWith("slug 'No!' must be 3 to 40 characters");
        refused(400, owner.post(API + "/projects", Map.of("name", "n".repeat(101))), "name");
        String taken = owner.get(path("")).expect(200).json().get("slug").asString();
        String other = owner.createProject();
        refused(409, owner.patch(API + "/projects/" + other, Map.of("slug", taken)), "slug");
    }

    @Test
    void collectionCreateAndUpdateNameTheirFields() {
        refused(400, owner.post(path("/collections"), Map.of()), "name");
        refused(400, owner.post(path("/collections"), Map.of("name", "9lives")), "name");
        refused(400, owner.post(path("/collections"), Map.of("name", "posts", "permissions", "public")),
                "permissions");
        refused(400, owner.post(path("/collections"), Map.of("name", "posts", "relations", List.of("x"))),
                "relations");
        assertThat(refused(400, owner.post(path("/collections"), Map.of("name", "posts", "indexes", "views")),
                "indexes").get("detail").asString()).isEqualTo("indexes must be a list of field names such as"
                        + " [\"views\", \"author.name\"]");
        owner.post(path("/collections"), Map.of("name", "posts")).expect(201);
        refused(409, owner.post(path("/collections"), Map.of("name", "posts")), "name");
        refused(400, owner.patch(path("/collections/posts"), Map.of("permissions", Map.of("read", "all"))),
                "permissions");
    }

    @Test
    void appUserCreateAndUpdateNameTheirFields() {
        refused(400, owner.post(path("/users"), Map.of("email", "not-an-address", "password", "long-enough-1")),
                "email");
        assertThat(refused(400, owner.post(path("/users"), Map.of("email", "a@example.test", "password", "short")),
                "password").get("detail").asString()).startsWith("password must be at least");
        String id = owner.post(path("/users"), Map.of("email", "a@example.test", "password", "long-enough-1"))
                .expect(201).json().get("id").asString();
        refused(409, owner.post(path("/users"), Map.of("email", "a@example.test", "password", "long-enough-1")),
                "email");
        refused(400, owner.patch(path("/users/" + id), Map.of("password", "short")), "password");
    }

    @Test
    void secretsAndVariablesNameTheirFields() {
        refused(400, owner.put(path("/secrets/9bad"), Map.of("value", "x")), "name");
        assertThat(refused(400, owner.put(path("/secrets/TOKEN"), Map.of("value", "")), "value").get("detail")
                .asString()).isEqualTo("value must not be empty; DELETE removes a secret");
        refused(400, owner.put(path("/variables/9bad"), Map.of("value", "x")), "name");
        refused(400, owner.put(path("/variables/MODE"), Map.of()), "value");
    }

    @Test
    void templatesAndEmailTemplatesNameTheirFields() {
        refused(400, owner.post(path("/templates"), Map.of("content", "x")), "name");
        refused(400, owner.post(path("/templates"), Map.of("name", "page.html")), "content");
        refused(400, owner.post(path("/email-templates"), Map.of("id", "-bad", "subject", "s", "html", "h")), "id");
        JsonNode html = refused(400, owner.post(path("/email-templates"), Map.of("id", "welcome", "subject", "s",
                "html", "<p>\n{% if %}")), "html");
        assertThat(html.get("line").asInt()).isEqualTo(2);
        refused(400, owner.post(path("/email-templates"), Map.of("id", "welcome", "subject", " ", "html", "h")),
                "subject");
    }

    @Test
    void mailSettingsNameTheirFields() {
        Map<String, Object> good = Map.of("host", "127.0.0.1", "port", 2525, "security", "none",
                "from_address", "app@example.test");
        refused(400, owner.put(path("/mail/settings"), with(good, "host", "bad host!")), "host");
        refused(400, owner.put(path("/mail/settings"), with(good, "port", 0)), "port");
        refused(400, owner.put(path("/mail/settings"), with(good, "security", "ssl")), "security");
        refused(400, owner.put(path("/mail/settings"), with(good, "from_address", "nobody")), "from_address");
        refused(400, owner.put(path("/mail/settings"), with(good, "password_secret", "SMTP_PASSWORD")),
                "password_secret");
        refused(400, owner.get(path("/mail?limit=0")), "limit");
    }

    @Test
    void invitationsCorsAndLimitsNameTheirFields() {
        refused(400, owner.post(path("/members"), Map.of("email", "nobody", "role", "viewer")), "email");
        refused(409, owner.post(path("/members"), Map.of("email", owner.email(), "role", "viewer")), "email");
        assertThat(refused(400, owner.put(path("/cors"), Map.of("allowed_origins", List.of("ftp://files.example"))),
                "allowed_origins").get("detail").asString()).startsWith("allowed_origins: 'ftp://files.example' is"
                        + " not an origin");
        refused(400, AdminApi.root(port).put(path("/limits"), Map.of("concurrent_calls", 0)), "concurrent_calls");
    }

    @Test
    void aBodyOfTheWrongShapeNamesTheField() {
        refused(400, owner.post(path("/functions"), Map.of("name", "f", "code", "x", "timeout_s", "soon")),
                "timeout_s");
        refused(400, owner.post(path("/functions"), Map.of("name", "f", "code", "x", "colour", "red")), "colour");
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
