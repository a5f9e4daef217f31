package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** A user of project B cannot be seen, changed or recovered through project A's URLs or keys. */
@IntegrationTest
class AppUserTenancyTest {

    @LocalServerPort
    int port;

    @Autowired
    RecordingAppUserMail mail;

    UserAdmin a;
    UserAdmin b;

    @BeforeEach
    void projects() {
        a = UserAdmin.newProject(port);
        b = UserAdmin.newProject(port);
    }

    @Test
    void aUserOfBIsNotFoundThroughAsAdminUrlsEvenForAnOwnerOfBoth() {
        String userOfB = b.createId(AppUsers.email(), Map.of());
        // the owner of A is made owner of B too, so only the project in the URL keeps them apart
        b.owner().addMember(b.app.projectId, a.owner(), "owner");
        a.owner().get(b.users + "/" + userOfB).expect(200);
        a.owner().get(a.users + "/" + userOfB).expect(404);
        a.owner().patch(a.users + "/" + userOfB, Map.of("disabled", true, "password", "taken-over")).expect(404);
        a.owner().delete(a.users + "/" + userOfB).expect(404);
        assertThat(ids(a.owner().get(a.users).expect(200).json())).doesNotContain(userOfB);
        JsonNode still = b.owner().get(b.users + "/" + userOfB).expect(200).json();
        assertThat(still.get("disabled").asBoolean()).isFalse();
    }

    @Test
    void aUserOfBIsInvisibleWithAsKeys() {
        String userOfB = b.createId(AppUsers.email(), Map.of());
        String serverKeyOfA = a.serverKey();
        assertThat(ids(a.client("GET", "/users", null, serverKeyOfA, null).expect(200).json()))
                .doesNotContain(userOfB);
        a.client("GET", "/users/" + userOfB, null, serverKeyOfA, null).expect(404);
        // even with A's users opened to its clients, B's user is not found through A
        a.owner().put(a.users + "/settings", Map.of("readable_by", "signed_in")).expect(200);
        String tokenOfA = a.app.signUp(AppUsers.email(), "password-1");
        a.app.callAs("GET", "/users/" + userOfB, null, tokenOfA).expect(404);
    }

    @Test
    void aSessionOfBDoesNotListUsersWithAsKey() {
        String tokenOfB = b.app.signUp(AppUsers.email(), "password-1");
        a.app.callAs("GET", "/users", null, tokenOfB).expect(401);
    }

    @Test
    void aResetTokenOfBDoesNotWorkWithAsKey() {
        String email = AppUsers.email();
        b.app.signUp(email, "password-1");
        b.app.call("POST", "/forgot-password", Map.of("email", email)).expect(200);
        String token = mail.last("reset", b.app.projectId, email).orElseThrow().token();
        a.app.call("POST", "/reset-password", Map.of("token", token, "new_password", "taken-over")).expect(400);
        b.app.call("POST", "/reset-password", Map.of("token", token, "new_password", "new-password")).expect(200);
    }

    @Test
    void aVerificationTokenOfBDoesNotWorkWithAsKey() {
        String email = AppUsers.email();
        String session = b.app.signUp(email, "password-1");
        b.app.callAs("POST", "/verify-email/send", null, session).expect(200);
        String token = mail.last("verify", b.app.projectId, email).orElseThrow().token();
        a.app.call("POST", "/verify-email/verify", Map.of("token", token)).expect(400);
        b.app.call("POST", "/verify-email/verify", Map.of("token", token)).expect(200);
    }

    @Test
    void forgotPasswordWithAsKeyMailsNoUserOfB() {
        String email = AppUsers.email();
        b.app.signUp(email, "password-1");
        a.app.call("POST", "/forgot-password", Map.of("email", email)).expect(200);
        assertThat(mail.count("reset", a.app.projectId, email)).isZero();
        assertThat(mail.count("reset", b.app.projectId, email)).isZero();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(user -> ids.add(user.get("id").asString()));
        return ids;
    }
}
