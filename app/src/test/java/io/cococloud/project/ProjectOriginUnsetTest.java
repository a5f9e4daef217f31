package io.cococloud.project;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** Without a public domain projects have no origins of their own: {@code origin} is there, and null. */
@IntegrationTest
class ProjectOriginUnsetTest {

    @LocalServerPort
    int port;

    @Test
    void aProjectsOriginIsNullWhenProjectsHaveNone() {
        AdminApi owner = AdminApi.newAccount(port);
        String id = owner.createProject();

        JsonNode single = owner.get(API + "/projects/" + id).expect(200).json();
        JsonNode listed = owner.get(API + "/projects").expect(200).json().get(0);

        assertThat(single.has("origin")).isTrue();
        assertThat(single.get("origin").isNull()).isTrue();
        assertThat(listed.get("origin").isNull()).isTrue();
    }
}
