package io.cococloud.project;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** An admin of project A sees nothing of project B: every B URL answers 404, as if B did not exist. */
@IntegrationTest
class ProjectTenancyTest {

    @LocalServerPort
    int port;

    AdminApi alice;
    AdminApi bob;
    String projectA;
    String projectB;
    String slugB;
    String bobsMember;
    String bobsKey;

    @BeforeEach
    void twoProjectsOfTwoPeople() {
        alice = AdminApi.newAccount(port);
        bob = AdminApi.newAccount(port);
        projectA = alice.createProject();
        projectB = bob.createProject();
        slugB = bob.get(API + "/projects/" + projectB).expect(200).json().get("slug").asString();
        bobsMember = bob.get(API + "/projects/" + projectB + "/members").expect(200).json().get(0).get("id")
                .asString();
        bobsKey = bob.post(API + "/projects/" + projectB + "/keys", Map.of("kind", "server")).expect(201).json()
                .get("id").asString();
    }

    @Test
    void theListShowsOnlyMyProjects() {
        AdminApi.Response mine = alice.get(API + "/projects").expect(200);
        assertThat(mine.json().valueStream().map(p -> p.get("id").asString())).containsExactly(projectA);
    }

    @Test
    void everyUrlOfAnotherProjectAnswers404ByIdAndBySlug() {
        for (String b : new String[] {projectB, slugB}) {
            String base = API + "/projects/" + b;
            alice.get(base).expect(404);
            alice.patch(base, Map.of("name", "taken over")).expect(404);
            alice.delete(base).expect(404);
            alice.get(base + "/members").expect(404);
            alice.post(base + "/members", Map.of("email", alice.email(), "role", "owner")).expect(404);
            alice.patch(base + "/members/" + bobsMember, Map.of("role", "viewer")).expect(404);
            alice.delete(base + "/members/" + bobsMember).expect(404);
            alice.get(base + "/keys").expect(404);
            alice.post(base + "/keys", Map.of("kind", "client")).expect(404);
            alice.delete(base + "/keys/" + bobsKey).expect(404);
        }
    }

    @Test
    void anotherProjectsRowsCannotBeReachedThroughMyProjectsUrls() {
        String mine = API + "/projects/" + projectA;
        alice.patch(mine + "/members/" + bobsMember, Map.of("role", "viewer")).expect(404);
        alice.delete(mine + "/members/" + bobsMember).expect(404);
        alice.delete(mine + "/keys/" + bobsKey).expect(404);
    }

    @Test
    void nothingOfTheOtherProjectChanged() {
        everyUrlOfAnotherProjectAnswers404ByIdAndBySlug();
        anotherProjectsRowsCannotBeReachedThroughMyProjectsUrls();
        AdminApi.Response project = bob.get(API + "/projects/" + projectB).expect(200);
        assertThat(project.json().get("role").asString()).isEqualTo("owner");
        assertThat(bob.get(API + "/projects/" + projectB + "/members").expect(200).json().size()).isEqualTo(1);
        assertThat(bob.get(API + "/projects/" + projectB + "/keys").expect(200).json().size()).isEqualTo(1);
    }

    @Test
    void theAnswerForAnotherProjectIsTheSameAsForNoProject() {
        String other = alice.get(API + "/projects/" + projectB).expect(404).json().get("title").asString();
        String none = alice.get(API + "/projects/00000000-0000-0000-0000-000000000000").expect(404).json()
                .get("title").asString();
        assertThat(other).isEqualTo(none);
    }
}
