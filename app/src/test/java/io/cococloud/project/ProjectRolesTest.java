package io.cococloud.project;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;

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
                .expect(202);
        admin.patch(base, Map.of("name", "Renamed by admin")).expect(200);
        admin.delete(base).expect(403);
    }

    @Test
    void onlyAnOwnerGrantsOwnership() {
        AdminApi admin = member("admin");
        admin.post(base + "/members", Map.of("email", AdminApi.newAccount(port).email(), "role", "owner"))
                .expect(403);
        owner.post(base + "/members", Map.of("email", AdminApi.newAccount(port).email(), "role", "owner"))
                .expect(202);
    }

    @Test
    void theLastOwnerCannotBeRemovedOrDemoted() {
        String ownerMember = owner.get(base + "/members").expect(200).json().get(0).get("id").asString();
        owner.patch(base + "/members/" + ownerMember, Map.of("role", "admin")).expect(409);
        owner.delete(base + "/members/" + ownerMember).expect(409);
    }

    @Test
    void aChangedRoleIsTheOneTheMemberThenHas() {
        AdminApi viewer = member("viewer");
        String id = owner.get(base + "/members").expect(200).json().valueStream()
                .filter(m -> m.get("role").asString().equals("viewer")).findFirst().orElseThrow().get("id").asString();

        owner.patch(base + "/members/" + id, Map.of("role", "developer")).expect(200);

        assertThat(viewer.get(base).expect(200).json().get("role").asString()).isEqualTo("developer");
        assertThat(owner.get(base + "/members").expect(200).json().valueStream()
                .filter(m -> m.get("id").asString().equals(id)).findFirst().orElseThrow().get("role").asString())
                .isEqualTo("developer");
    }

    @Test
    void aRenamedProjectKeepsItsNewNameAndSlug() {
        String slug = "renamed-" + project.substring(0, 8);

        owner.patch(base, Map.of("name", "Renamed", "slug", slug)).expect(200);

        JsonNode stored = owner.get(base).expect(200).json();
        assertThat(stored.get("name").asString()).isEqualTo("Renamed");
        assertThat(stored.get("slug").asString()).isEqualTo(slug);
        assertThat(owner.get(API + "/projects/" + slug).expect(200).json().get("id").asString()).isEqualTo(project);
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
    void invitingAnswersTheSameWhetherOrNotTheAccountExists() {
        AdminApi.Response unknown = owner.post(base + "/members", Map.of("email", "nobody@nowhere.test",
                "role", "viewer"));
        AdminApi.Response known = owner.post(base + "/members", Map.of("email", AdminApi.newAccount(port).email(),
                "role", "viewer"));

        assertThat(unknown.status()).isEqualTo(202);
        assertThat(known.status()).isEqualTo(202);
        assertThat(unknown.json().propertyNames()).isEqualTo(known.json().propertyNames());
        assertThat(unknown.json().get("status").asString()).isEqualTo("pending");
    }

    @Test
    void anInvitationMakesNoMemberUntilTheInviteeAccepts() {
        AdminApi invitee = AdminApi.newAccount(port);
        owner.post(base + "/members", Map.of("email", invitee.email(), "role", "developer")).expect(202);

        invitee.get(base).expect(404);
        assertThat(owner.get(base + "/members").expect(200).json().size()).isEqualTo(1);
        JsonNode received = invitee.get(API + "/invitations").expect(200).json();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).get("project_id").asString()).isEqualTo(project);
        assertThat(received.get(0).get("role").asString()).isEqualTo("developer");

        invitee.post(API + "/invitations/" + received.get(0).get("id").asString() + "/accept", null).expect(200);

        assertThat(invitee.get(base).expect(200).json().get("role").asString()).isEqualTo("developer");
        assertThat(invitee.get(API + "/invitations").expect(200).json()).isEmpty();
    }

    @Test
    void aDeclinedInvitationIsGoneAndMakesNoMember() {
        AdminApi invitee = AdminApi.newAccount(port);
        String id = owner.post(base + "/members", Map.of("email", invitee.email(), "role", "viewer")).expect(202)
                .json().get("id").asString();

        invitee.delete(API + "/invitations/" + id).expect(204);

        invitee.get(base).expect(404);
        assertThat(owner.get(base + "/invitations").expect(200).json()).isEmpty();
    }

    @Test
    void nobodyElseCanAcceptAnInvitation() {
        AdminApi invitee = AdminApi.newAccount(port);
        AdminApi other = AdminApi.newAccount(port);
        String id = owner.post(base + "/members", Map.of("email", invitee.email(), "role", "owner")).expect(202)
                .json().get("id").asString();

        other.post(API + "/invitations/" + id + "/accept", null).expect(404);
        other.get(base).expect(404);
    }

    @Test
    void aRevokedInvitationCannotBeAccepted() {
        AdminApi invitee = AdminApi.newAccount(port);
        String id = owner.post(base + "/members", Map.of("email", invitee.email(), "role", "viewer")).expect(202)
                .json().get("id").asString();

        owner.delete(base + "/invitations/" + id).expect(204);

        invitee.post(API + "/invitations/" + id + "/accept", null).expect(404);
    }

    @Test
    void aProjectHasAtMostAHundredPendingInvitations() {
        for (int i = 0; i < 100; i++) {
            owner.post(base + "/members", Map.of("email", "guest-" + i + "@example.test", "role", "viewer"))
                    .expect(202);
        }
        assertThat(owner.post(base + "/members", Map.of("email", "one-more@example.test", "role", "viewer"))
                .expect(409).json().get("detail").asString()).contains("100 pending invitations");
        // inviting an address again replaces its invitation, which the cap allows
        owner.post(base + "/members", Map.of("email", "guest-0@example.test", "role", "developer")).expect(202);
    }

    @Test
    void invitingAMemberAgainIs409() {
        AdminApi member = member("viewer");
        owner.post(base + "/members", Map.of("email", member.email(), "role", "admin")).expect(409);
    }

    @Test
    void aMemberSeesTheProjectWithTheirRole() {
        AdminApi developer = member("developer");
        AdminApi.Response projects = developer.get(API + "/projects").expect(200);
        assertThat(projects.json().get(0).get("role").asString()).isEqualTo("developer");
    }

    private AdminApi member(String role) {
        AdminApi account = AdminApi.newAccount(port);
        owner.addMember(project, account, role);
        return account;
    }
}
