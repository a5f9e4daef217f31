package io.cococloud.mail;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** Email templates in the admin API: CRUD, checks of ids, sizes and Jinja, roles and tenancy. */
@IntegrationTest
class EmailTemplateAdminTest {

    @LocalServerPort
    int port;

    AdminApi owner;
    String projectId;
    String base;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        base = API + "/projects/" + projectId + "/email-templates";
    }

    private AdminApi member(String role) {
        AdminApi account = AdminApi.newAccount(port);
        owner.addMember(projectId, account, role);
        return account;
    }

    private static Map<String, Object> template(String id) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("subject", "Welcome {{ name }}");
        body.put("html", "<p>Hello {{ name }}</p>");
        body.put("text", "Hello {{ name }}");
        return body;
    }

    @Test
    void aTemplateIsCreatedReadListedReplacedAndDeleted() {
        JsonNode created = owner.post(base, template("welcome")).expect(201).json();
        assertThat(created.get("id").asString()).isEqualTo("welcome");
        assertThat(created.get("html").asString()).isEqualTo("<p>Hello {{ name }}</p>");
        assertThat(created.has("created_at")).isTrue();

        JsonNode list = owner.get(base).expect(200).json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("subject").asString()).isEqualTo("Welcome {{ name }}");
        assertThat(list.get(0).has("html")).isFalse();

        JsonNode replaced = owner.put(base + "/welcome", Map.of("subject", "Hi", "html", "<b>x</b>")).expect(200)
                .json();
        assertThat(replaced.get("subject").asString()).isEqualTo("Hi");
        assertThat(replaced.get("text").isNull()).isTrue();
        assertThat(owner.get(base + "/welcome").expect(200).json().get("html").asString()).isEqualTo("<b>x</b>");

        owner.delete(base + "/welcome").expect(204);
        owner.get(base + "/welcome").expect(404);
        owner.delete(base + "/welcome").expect(404);
        owner.put(base + "/welcome", Map.of("subject", "Hi", "html", "<b>x</b>")).expect(404);
    }

    @Test
    void aTakenIdIsAConflict() {
        owner.post(base, template("welcome")).expect(201);
        assertThat(owner.post(base, template("welcome")).expect(409).json().get("detail").asString())
                .contains("'welcome'", "exists");
    }

    @Test
    void aBadIdIsRefused() {
        for (String id : new String[] {"", "-starts-with-dash", "has space", "a/b", "x".repeat(101)}) {
            assertThat(owner.post(base, template(id)).expect(400).json().get("detail").asString()).as(id)
                    .contains("id must be");
        }
    }

    @Test
    void jinjaThatDoesNotParseIsRefusedWithItsLine() {
        Map<String, Object> body = template("broken");
        body.put("html", "<p>fine</p>\n<p>{% if x %}unclosed</p>\n{{ name | nosuchfilter }}\n{% endfor %}");
        String detail = owner.post(base, body).expect(400).json().get("detail").asString();
        assertThat(detail).startsWith("html:").contains("line");

        Map<String, Object> subject = template("broken");
        subject.put("subject", "Hi {{ name ");
        assertThat(owner.post(base, subject).expect(400).json().get("detail").asString()).startsWith("subject:");
        owner.get(base + "/broken").expect(404);
    }

    @Test
    void missingOrOversizedPartsAreRefused() {
        Map<String, Object> noHtml = template("t");
        noHtml.remove("html");
        assertThat(owner.post(base, noHtml).expect(400).body()).contains("html");

        Map<String, Object> longSubject = template("t");
        longSubject.put("subject", "s".repeat(999));
        assertThat(owner.post(base, longSubject).expect(400).json().get("detail").asString()).contains("998");

        Map<String, Object> bigHtml = template("t");
        bigHtml.put("html", "h".repeat(512 * 1024 + 1));
        assertThat(owner.post(base, bigHtml).expect(400).json().get("detail").asString()).contains("512 KB");

        Map<String, Object> unknown = template("t");
        unknown.put("body", "x");
        owner.post(base, unknown).expect(400);
    }

    @Test
    void viewersReadAndDevelopersWrite() {
        owner.post(base, template("welcome")).expect(201);
        AdminApi viewer = member("viewer");
        viewer.get(base).expect(200);
        viewer.get(base + "/welcome").expect(200);
        viewer.post(base, template("other")).expect(403);
        viewer.put(base + "/welcome", Map.of("subject", "x", "html", "y")).expect(403);
        viewer.delete(base + "/welcome").expect(403);

        AdminApi developer = member("developer");
        developer.post(base, template("other")).expect(201);
        developer.put(base + "/other", Map.of("subject", "x", "html", "y")).expect(200);
        developer.delete(base + "/other").expect(204);
    }

    @Test
    void anotherProjectsMembersCannotSeeOrChangeTheTemplates() {
        owner.post(base, template("welcome")).expect(201);
        AdminApi stranger = AdminApi.newAccount(port);
        String theirs = stranger.createProject();
        stranger.get(base).expect(404);
        stranger.get(base + "/welcome").expect(404);
        stranger.put(base + "/welcome", Map.of("subject", "x", "html", "y")).expect(404);
        stranger.delete(base + "/welcome").expect(404);
        stranger.get(API + "/projects/" + theirs + "/email-templates/welcome").expect(404);
        assertThat(stranger.get(API + "/projects/" + theirs + "/email-templates").expect(200).json()).isEmpty();
        anonymousIsRefused();
    }

    private void anonymousIsRefused() {
        AdminApi.anonymous(port).get(base).expect(401);
    }
}
