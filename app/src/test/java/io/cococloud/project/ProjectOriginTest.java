package io.cococloud.project;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.PublicDomainTest;

/**
 * With a public domain set, a project in the admin API carries {@code origin}: {scheme}://{slug}.{public domain},
 * the origin its function URLs are on, following its slug.
 */
@PublicDomainTest
class ProjectOriginTest {

    @LocalServerPort
    int port;

    @Test
    void theListTheSingleViewAndTheCreateAnswerGiveTheProjectsOrigin() {
        AdminApi owner = AdminApi.newAccount(port);
        String slug = "og-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String origin = "http://" + slug + ".localhost:" + port;

        JsonNode created = owner.post(API + "/projects", Map.of("name", "Origin", "slug", slug)).expect(201).json();
        String id = created.get("id").asString();

        assertThat(created.get("origin").asString()).isEqualTo(origin);
        assertThat(owner.get(API + "/projects/" + id).expect(200).json().get("origin").asString()).isEqualTo(origin);
        assertThat(owner.get(API + "/projects").expect(200).json().get(0).get("origin").asString()).isEqualTo(origin);
    }

    @Test
    void theOriginIsWhereTheProjectsFunctionUrlsAreAndFollowsItsSlug() {
        AdminApi owner = AdminApi.newAccount(port);
        String id = owner.createProject();
        String url = owner.post(API + "/projects/" + id + "/functions", Map.of("name", "hello", "code",
                "def main():\n    return 1\n")).expect(201).json().get("urls").get("execute").asString();

        assertThat(url).startsWith(owner.get(API + "/projects/" + id).expect(200).json().get("origin").asString()
                + "/functions/");

        String renamed = "og-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        JsonNode updated = owner.patch(API + "/projects/" + id, Map.of("slug", renamed)).expect(200).json();
        assertThat(updated.get("origin").asString()).isEqualTo("http://" + renamed + ".localhost:" + port);
    }
}
