package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** The CocoBase auth calls of an app: sign up, log in, read and change the profile, log out. */
@IntegrationTest
class AppUserAuthTest {

    @LocalServerPort
    int port;

    AppUsers app;

    @BeforeEach
    void project() {
        app = AppUsers.newProject(port);
    }

    @Test
    void signUpLogInReadPatchAndLogOut() {
        String email = AppUsers.email();
        JsonNode signedUp = app.call("POST", "/signup", Map.of("email", email, "password", "correct-horse",
                "data", Map.of("name", "Ada", "plan", "free"))).expect(201).json();
        assertThat(signedUp.get("access_token").asString()).startsWith("coco_at_");
        JsonNode user = signedUp.get("user");
        assertThat(user.get("email").asString()).isEqualTo(email);
        assertThat(user.get("data").get("name").asString()).isEqualTo("Ada");
        assertThat(user.get("email_verified").asBoolean()).isFalse();
        assertThat(user.has("email_verified_at")).isTrue();
        assertThat(user.has("created_at")).isTrue();
        assertThat(user.has("password")).isFalse();
        assertThat(user.has("password_hash")).isFalse();

        JsonNode loggedIn = app.call("POST", "/login", Map.of("email", email.toUpperCase(), "password",
                "correct-horse")).expect(200).json();
        String token = loggedIn.get("access_token").asString();
        assertThat(token).isNotEqualTo(signedUp.get("access_token").asString());
        assertThat(loggedIn.get("user").get("id").asString()).isEqualTo(user.get("id").asString());

        JsonNode me = app.callAs("GET", "/user", null, token).expect(200).json();
        assertThat(me.get("id").asString()).isEqualTo(user.get("id").asString());
        assertThat(me.get("roles").isArray()).isTrue();

        JsonNode patched = app.callAs("PATCH", "/user", Map.of("data", Map.of("plan", "pro", "age", 36)), token)
                .expect(200).json();
        assertThat(patched.get("data").get("name").asString()).isEqualTo("Ada");
        assertThat(patched.get("data").get("plan").asString()).isEqualTo("pro");
        assertThat(patched.get("data").get("age").asInt()).isEqualTo(36);

        app.callAs("POST", "/logout", null, token).expect(204);
        app.callAs("GET", "/user", null, token).expect(401);
        app.callAs("GET", "/user", null, signedUp.get("access_token").asString()).expect(200);
    }

    @Test
    void aDuplicateEmailIs409WhateverItsCase() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        AdminApi.Response again = app.call("POST", "/signup", Map.of("email", email.toUpperCase(), "password",
                "password-2")).expect(409);
        assertThat(again.json().get("detail").asString()).contains("already exists");
    }

    @Test
    void aWrongPasswordIs401() {
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        AdminApi.Response wrong = app.call("POST", "/login", Map.of("email", email, "password", "password-2"))
                .expect(401);
        assertThat(wrong.json().get("detail").asString()).isEqualTo("Wrong email or password");
        app.call("POST", "/login", Map.of("email", AppUsers.email(), "password", "password-1")).expect(401);
    }

    @Test
    void changingThePasswordEndsTheOtherSessionsButNotThisOne() {
        String email = AppUsers.email();
        String first = app.signUp(email, "password-1");
        String second = app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(200)
                .json().get("access_token").asString();
        app.callAs("PATCH", "/user", Map.of("password", "password-2", "current_password", "password-1"), second).expect(200);
        app.callAs("GET", "/user", null, first).expect(401);
        app.callAs("GET", "/user", null, second).expect(200);
        app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(401);
        app.call("POST", "/login", Map.of("email", email, "password", "password-2")).expect(200);
    }

    @Test
    void changingTheEmailToAnotherUsersIs409() {
        String taken = AppUsers.email();
        app.signUp(taken, "password-1");
        String token = app.signUp(AppUsers.email(), "password-1");
        app.callAs("PATCH", "/user", Map.of("email", taken, "current_password", "password-1"), token).expect(409);
        String fresh = AppUsers.email();
        assertThat(app.callAs("PATCH", "/user", Map.of("email", fresh, "current_password", "password-1"), token).expect(200).json().get("email")
                .asString()).isEqualTo(fresh);
    }

    @Test
    void theUserCallsNeedAValidBearerToken() {
        AdminApi.Response none = app.call("GET", "/user", null).expect(401);
        assertThat(none.json().get("detail").asString()).contains("Authorization: Bearer");
        app.callAs("GET", "/user", null, "coco_at_not-a-real-token").expect(401);
        app.callAs("PATCH", "/user", Map.of("data", Map.of("x", 1)), "coco_at_not-a-real-token").expect(401);
        app.callAs("POST", "/logout", null, "coco_at_not-a-real-token").expect(401);
    }

    @Test
    void aBearerHeaderOfMoreThanOneTokenIsRefusedSayingHowToSendIt() {
        String token = app.signUp(AppUsers.email(), "password-1");
        AdminApi.Response two = app.callAs("GET", "/user", null, token + " " + token).expect(401);
        assertThat(two.json().get("detail").asString())
                .isEqualTo("Send the access token as Authorization: Bearer <access_token>");
    }

    @Test
    void theCallsThatNeedNoUserDoNotReadAStaleToken() {
        // an SDK sends its last token with every call, also when logging in again after it expired
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        app.callAs("POST", "/login", Map.of("email", email, "password", "password-1"), "coco_at_expired")
                .expect(200);
        app.callAs("POST", "/forgot-password", Map.of("email", email), "coco_at_expired").expect(200);
    }

    @Test
    void rolesSentWithAClientKeyAreIgnored() {
        JsonNode user = app.call("POST", "/signup", Map.of("email", AppUsers.email(), "password", "password-1",
                "roles", List.of("admin"))).expect(201).json().get("user");
        assertThat(user.get("roles").isArray()).isTrue();
        assertThat(user.get("roles").size()).isZero();
    }

    @Test
    void rolesSentWithAServerKeyAreGranted() {
        AppUsers server = AppUsers.newProject(port, "server");
        JsonNode user = server.call("POST", "/signup", Map.of("email", AppUsers.email(), "password", "password-1",
                "roles", List.of("editor", "admin"))).expect(201).json().get("user");
        List<String> roles = new ArrayList<>();
        user.get("roles").forEach(role -> roles.add(role.asString()));
        assertThat(roles).containsExactly("editor", "admin");
    }

    @Test
    void aSessionAloneCannotChangeTheEmailOrPassword() {
        String email = AppUsers.email();
        String token = app.signUp(email, "password-1");

        AdminApi.Response noPassword = app.callAs("PATCH", "/user", Map.of("password", "password-2"), token);
        AdminApi.Response wrongPassword = app.callAs("PATCH", "/user", Map.of("email", AppUsers.email(),
                "current_password", "not-my-password"), token);

        assertThat(noPassword.status()).isEqualTo(400);
        assertThat(noPassword.json().get("detail").asString()).contains("current_password is required");
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongPassword.json().get("detail").asString()).contains("current_password is wrong");
        app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(200);
    }

    @Test
    void dataChangesNeedNoPassword() {
        String token = app.signUp(AppUsers.email(), "password-1");
        app.callAs("PATCH", "/user", Map.of("data", Map.of("nickname", "coco")), token).expect(200);
    }
}
