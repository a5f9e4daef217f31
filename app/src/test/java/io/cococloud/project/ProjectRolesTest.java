package io.cococloud.project;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** What each role may do in a project: viewer < developer < admin < owner. */
@IntegrationTest
class ProjectRolesTest {

    @LocalServerPort
    int port;

    AdminApi owner;
    String project;
    String base;

    @BeforeEach
    void aProjectWithItsOwner() {
        owner = AdminApi.newAccount(port);
        project = owner.createProject();
        base = API + "/projects/" + project;
    }

    @Test
    void aViewerReadsButCannotCreateKeysOrDeleteTheProject() {
        AdminApi viewer = member("viewer");
        viewer.get(base).expect(200);
        viewer.get(base + "/keys").expect(200);
        viewer.get(base + "/members").expect(200);
        AdminApi.Response refused = viewer.post(base + "/keys", Map.of("kind", "client")).expect(403);
        assertThat(refused.json().get("detail").asString()).contains("admin role").contains("viewer");
        viewer.delete(base).expect(403);
        viewer.patch(base, Map.of("name", "renamed")).expect(403);
        owner.get(base).expect(200);
    }

    @Test
    void aDeveloperCannotManageMembersOrKeys() {
        AdminApi developer = member("developer");
        developer.post(base + "/members", Map.of("email", AdminApi.newAccount(port).email(), "role", "viewer"))
                .expect(403);
        developer.post(base + "/keys", Map.of("kind", "server")).expect(403);
    }

    @Test
    void anAdminManagesKeysAndMembersButCannotDeleteTheProject() {
        AdminApi admin = member("admin");
        String key = admin.post(base + "/keys", Map.of("kind", "server", "name", "ci")).expect(201).json()
                .get("id").asString();
        admin.delete(base + "/keys/" + key).expect(204);
        admin.post(base + "/members", Map.of("email", AdminApi.newAccount(port).email(), "role", "developer"))
                .expect(201);
        admin.patch(base, Map.of("name", "Renamed by admin")).expect(200);
        admin.delete(base).expect(403);
    }

    @Test
    void onlyAnOwnerGrantsOwnership() {
        AdminApi admin = member("admin");
        admin.post(base + "/members", Map.of("email", AdminApi.newAccount(port).email(), "role", "owner"))
                .expect(403);
        owner.post(base + "/members", Map.of("email", AdminApi.newAccount(port).email(), "role", "owner"))
                .expect(201);
    }

    @Test
    void theLastOwnerCannotBeRemovedOrDemoted() {
        String ownerMember = owner.get(base + "/members").expect(200).json().get(0).get("id").asString();
        owner.patch(base + "/members/" + ownerMember, Map.of("role", "admin")).expect(409);
        owner.delete(base + "/members/" + ownerMember).expect(409);
    }

    @Test
    void theOwnerDeletesTheProjectWithEverythingInIt() {
        owner.post(base + "/keys", Map.of("kind", "client")).expect(201);
        member("viewer");
        owner.delete(base).expect(204);
        owner.get(base).expect(404);
        assertThat(owner.get(API + "/projects").expect(200).json().valueStream()
                .map(p -> p.get("id").asString())).doesNotContain(project);
    }

    @Test
    void addingAnUnknownAccountIs404AndAddingTwiceIs409() {
        owner.post(base + "/members", Map.of("email", "nobody@nowhere.test", "role", "viewer")).expect(404);
        String email = AdminApi.newAccount(port).email();
        owner.post(base + "/members", Map.of("email", email, "role", "viewer")).expect(201);
        owner.post(base + "/members", Map.of("email", email, "role", "viewer")).expect(409);
    }

    @Test
    void aMemberSeesTheProjectWithTheirRole() {
        AdminApi developer = member("developer");
        AdminApi.Response projects = developer.get(API + "/projects").expect(200);
        assertThat(projects.json().get(0).get("role").asString()).isEqualTo("developer");
    }

    private AdminApi member(String role) {
        AdminApi account = AdminApi.newAccount(port);
        owner.post(base + "/members", Map.of("email", account.email(), "role", role)).expect(201);
        return account;
    }
}
