package io.cococloud.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** The admin API's stored templates: names with '/', versions, strict names and sizes, roles and tenancy. */
@IntegrationTest
class TemplateAdminTest {

    @LocalServerPort
    int port;

    AdminApi owner;
    String projectId;
    String base;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        base = AdminApi.API + "/projects/" + projectId + "/templates";
    }

    @Test
    void aTemplateWithSlashesInItsNameIsCreatedReadAndListed() {
        JsonNode created = owner.post(base, Map.of("name", "emails/welcome.html", "content", "<p>Hi {{ name }}</p>"))
                .expect(201).json();
        assertThat(created.get("name").asString()).isEqualTo("emails/welcome.html");
        assertThat(created.get("version").asInt()).isEqualTo(1);
        assertThat(created.get("size").asLong()).isEqualTo(20);

        JsonNode read = owner.get(base + "/emails/welcome.html").expect(200).json();
        assertThat(read.get("content").asString()).isEqualTo("<p>Hi {{ name }}</p>");
        assertThat(read.get("version").asInt()).isEqualTo(1);

        owner.post(base, Map.of("name", "base.html", "content", "é")).expect(201);
        JsonNode list = owner.get(base).expect(200).json();
        assertThat(names(list)).containsExactly("base.html", "emails/welcome.html");
        assertThat(list.get(0).get("size").asLong()).as("UTF-8 bytes").isEqualTo(2);
        assertThat(list.get(0).has("updated_at")).isTrue();
        assertThat(list.get(0).has("content")).isFalse();
    }

    @Test
    void aSecondTemplateOfTheSameNameConflicts() {
        owner.post(base, Map.of("name", "a.html", "content", "one")).expect(201);
        owner.post(base, Map.of("name", "a.html", "content", "two")).expect(409);
        assertThat(owner.get(base + "/a.html").expect(200).json().get("content").asString()).isEqualTo("one");
    }

    @Test
    void putSavesANewVersionAndKeepsTheOldOne() {
        owner.post(base, Map.of("name", "pages/index.html", "content", "v1")).expect(201);
        JsonNode updated = owner.put(base + "/pages/index.html", Map.of("content", "v2")).expect(200).json();
        assertThat(updated.get("version").asInt()).isEqualTo(2);
        assertThat(updated.get("content").asString()).isEqualTo("v2");

        JsonNode versions = owner.get(base + "/pages/index.html/versions").expect(200).json();
        assertThat(versions.size()).isEqualTo(2);
        assertThat(versions.get(0).get("version").asInt()).isEqualTo(2);
        assertThat(versions.get(1).get("version").asInt()).isEqualTo(1);
        assertThat(owner.get(base + "/pages/index.html?version=1").expect(200).json().get("content").asString())
                .isEqualTo("v1");
        assertThat(owner.get(base + "/pages/index.html").expect(200).json().get("content").asString())
                .isEqualTo("v2");
        owner.get(base + "/pages/index.html?version=7").expect(404);
    }

    @Test
    void deleteRemovesTheTemplateAndItsVersions() {
        owner.post(base, Map.of("name", "gone.html", "content", "x")).expect(201);
        owner.delete(base + "/gone.html").expect(204);
        owner.get(base + "/gone.html").expect(404);
        owner.get(base + "/gone.html/versions").expect(404);
        owner.put(base + "/gone.html", Map.of("content", "y")).expect(404);
        owner.delete(base + "/gone.html").expect(404);
        owner.post(base, Map.of("name", "gone.html", "content", "again")).expect(201);
        assertThat(owner.get(base + "/gone.html").expect(200).json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void badNamesAreRefusedNamingTheProblem() {
        for (String name : List.of("../x", "a/../b", "/abs", "a\\b", "a//b", "a/", "sp ace.html", "ü.html",
                "x".repeat(201), "a/versions", "")) {
            AdminApi.Response response = owner.post(base, Map.of("name", name, "content", "x"));
            response.expect(400);
            assertThat(response.json().get("detail").asString()).as(name).contains("template name");
        }
        owner.post(base, Map.of("name", "x".repeat(200), "content", "x")).expect(201);
        owner.get(base + "/a%5Cb").expect(400);
        assertThat(owner.get(base + "/..%2Fx").status()).isEqualTo(400);
        assertThat(owner.get(base).expect(200).json().size()).isEqualTo(1);
    }

    @Test
    void tooLargeAndMissingContentIsRefused() {
        String big = "x".repeat(TemplateService.MAX_CONTENT_BYTES + 1);
        AdminApi.Response tooLarge = owner.post(base, Map.of("name", "big.html", "content", big));
        tooLarge.expect(400);
        assertThat(tooLarge.json().get("detail").asString()).contains("at most " + TemplateService.MAX_CONTENT_BYTES);
        owner.post(base, Map.of("name", "ok.html", "content", "x".repeat(TemplateService.MAX_CONTENT_BYTES)))
                .expect(201);
        owner.put(base + "/ok.html", Map.of("content", big)).expect(400);
        owner.post(base, Map.of("name", "none.html")).expect(400);
        owner.post(base, Map.of("content", "x")).expect(400);
        Map<String, Object> unknownField = new HashMap<>(Map.of("name", "u.html", "content", "x", "color", "red"));
        owner.post(base, unknownField).expect(400);
    }

    @Test
    void viewersReadButDoNotWrite() {
        owner.post(base, Map.of("name", "a.html", "content", "one")).expect(201);
        AdminApi viewer = AdminApi.newAccount(port);
        owner.addMember(projectId, viewer, "viewer");

        viewer.get(base).expect(200);
        viewer.get(base + "/a.html").expect(200);
        viewer.get(base + "/a.html/versions").expect(200);
        viewer.post(base, Map.of("name", "b.html", "content", "x")).expect(403);
        viewer.put(base + "/a.html", Map.of("content", "two")).expect(403);
        viewer.delete(base + "/a.html").expect(403);
        assertThat(owner.get(base + "/a.html").expect(200).json().get("content").asString()).isEqualTo("one");

        AdminApi developer = AdminApi.newAccount(port);
        owner.addMember(projectId, developer, "developer");
        developer.put(base + "/a.html", Map.of("content", "two")).expect(200);
        developer.post(base, Map.of("name", "b.html", "content", "x")).expect(201);
        developer.delete(base + "/b.html").expect(204);
    }

    @Test
    void anotherProjectsTemplatesAreNotFoundAndUntouched() {
        owner.post(base, Map.of("name", "secret.html", "content", "B's secret")).expect(201);
        AdminApi other = AdminApi.newAccount(port);
        String otherBase = AdminApi.API + "/projects/" + other.createProject() + "/templates";

        other.get(base).expect(404);
        other.get(base + "/secret.html").expect(404);
        other.get(base + "/secret.html/versions").expect(404);
        other.put(base + "/secret.html", Map.of("content", "changed")).expect(404);
        other.delete(base + "/secret.html").expect(404);
        other.post(base, Map.of("name", "planted.html", "content", "x")).expect(404);
        other.get(otherBase + "/secret.html").expect(404);
        assertThat(other.get(otherBase).expect(200).json().size()).isZero();

        JsonNode mine = owner.get(base + "/secret.html").expect(200).json();
        assertThat(mine.get("content").asString()).isEqualTo("B's secret");
        assertThat(mine.get("version").asInt()).isEqualTo(1);
        assertThat(names(owner.get(base).expect(200).json())).containsExactly("secret.html");
    }

    @Test
    void anonymousCallersAreRefused() {
        AdminApi.anonymous(port).get(base).expect(401);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.get("name").asString()));
        return names;
    }
}
