package io.cococloud.admin;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

@IntegrationTest
class AdminAuthenticationTest {

    @LocalServerPort
    int port;

    @Test
    void anUnauthenticatedCallGets401WithAProblem() {
        AdminApi.Response response = AdminApi.anonymous(port).get(API + "/projects").expect(401);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("urn:cococloud:problem:unauthenticated");
    }

    @Test
    void anUnknownBearerTokenGets401EvenOnAPublicLookingPath() {
        AdminApi.Response response = AdminApi.anonymous(port)
                .send("GET", API + "/me", null, Map.of("Authorization", "Bearer coco_pat_forged")).expect(401);
        assertThat(response.json().get("detail").asString()).contains("unknown, expired or revoked");
    }

    @Test
    void aSessionLoginNeedsCsrfAndThenActsAsTheAccount() {
        AdminApi browser = AdminApi.anonymous(port);
        String csrf = browser.csrfToken();
        assertThat(browser.cookie("XSRF-TOKEN")).isEqualTo(csrf);

        browser.send("POST", API + "/auth/login", Map.of("email", AdminApi.ROOT_EMAIL, "password",
                AdminApi.ROOT_PASSWORD), Map.of("X-XSRF-TOKEN", csrf)).expect(200);

        assertThat(browser.get(API + "/me").expect(200).json().get("email").asString())
                .isEqualTo(AdminApi.ROOT_EMAIL);
        browser.send("POST", API + "/projects", Map.of("name", "made in a session"), Map.of("X-XSRF-TOKEN", csrf))
                .expect(201);
    }

    @Test
    void aForgedCsrfTokenGets403() {
        AdminApi browser = signedInBrowser();
        AdminApi.Response response = browser.send("POST", API + "/projects", Map.of("name", "forged"),
                Map.of("X-XSRF-TOKEN", "forged-" + UUID.randomUUID())).expect(403);
        assertThat(response.json().get("type").asString()).isEqualTo("urn:cococloud:problem:csrf");
    }

    @Test
    void aMissingCsrfTokenGets403() {
        AdminApi browser = signedInBrowser();
        browser.send("POST", API + "/projects", Map.of("name", "no csrf"), Map.of()).expect(403);
    }

    @Test
    void loginWithoutCsrfIsRefused() {
        AdminApi.anonymous(port).post(API + "/auth/login",
                Map.of("email", AdminApi.ROOT_EMAIL, "password", AdminApi.ROOT_PASSWORD)).expect(403);
    }

    @Test
    void logoutEndsTheSession() {
        AdminApi browser = signedInBrowser();
        browser.send("POST", API + "/auth/logout", null, Map.of("X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN")))
                .expect(204);
        browser.get(API + "/me").expect(401);
    }

    @Test
    void aTokenCallLeavesNoSessionBehind() {
        AdminApi.Response response = AdminApi.root(port).get(API + "/me").expect(200);
        assertThat(response.raw().headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("SESSION="));
    }

    @Test
    void aTokenNeedsNoCsrfAndIsShownOnlyOnce() {
        AdminApi script = AdminApi.root(port);
        script.post(API + "/projects", Map.of("name", "made by a script")).expect(201);
        AdminApi.Response tokens = script.get(API + "/tokens").expect(200);
        assertThat(tokens.body()).doesNotContain(script.bearerToken());
        tokens.json().forEach(token -> assertThat(token.has("token")).isFalse());
    }

    @Test
    void signingInRecordsWhenTheAccountLastSignedIn() {
        AdminApi account = AdminApi.newAccount(port); // signed in once, for its token

        assertThat(account.get(API + "/me").expect(200).json().get("last_login_at").isNull()).isFalse();
    }

    @Test
    void aRevokedTokenStopsWorking() {
        AdminApi script = AdminApi.root(port);
        String me = script.bearerToken();
        String id = script.get(API + "/tokens").expect(200).json().valueStream()
                .filter(t -> me.startsWith(t.get("prefix").asString().replace("…", "")))
                .reduce((first, second) -> second).orElseThrow().get("id").asString();
        script.delete(API + "/tokens/" + id).expect(204);
        script.get(API + "/me").expect(401);
    }

    @Test
    void wrongPasswordGets401WithoutSayingWhichPartWasWrong() {
        AdminApi.Response wrongPassword = AdminApi.anonymous(port).post(API + "/auth/token",
                Map.of("email", AdminApi.ROOT_EMAIL, "password", "not-the-password")).expect(401);
        AdminApi.Response unknownEmail = AdminApi.anonymous(port).post(API + "/auth/token",
                Map.of("email", "nobody-" + UUID.randomUUID() + "@cococloud.test", "password", "whatever-it-is"))
                .expect(401);
        assertThat(wrongPassword.json().get("detail")).isEqualTo(unknownEmail.json().get("detail"));
    }

    @Test
    void repeatedFailedLoginsOfOneAccountAreRateLimited() {
        String email = "target-" + UUID.randomUUID() + "@cococloud.test";
        String password = "the-real-password-1";
        AdminApi.root(port).post(API + "/accounts", Map.of("email", email, "password", password)).expect(201);
        AdminApi attacker = AdminApi.anonymous(port);
        for (int i = 0; i < 5; i++) {
            attacker.post(API + "/auth/token", Map.of("email", email, "password", "guess-number-" + i)).expect(401);
        }
        AdminApi.Response limited = attacker.post(API + "/auth/token", Map.of("email", email, "password", password))
                .expect(429);
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isPositive();
        assertThat(limited.json().get("type").asString()).isEqualTo("urn:cococloud:problem:rate-limited");
    }

    @Test
    void onlyInstanceAdminsCreateAccounts() {
        AdminApi plain = AdminApi.newAccount(port);
        plain.post(API + "/accounts", Map.of("email", "x-" + UUID.randomUUID() + "@cococloud.test",
                "password", "long-enough-password")).expect(403);
        plain.get(API + "/accounts").expect(403);
    }

    @Test
    void accountPasswordsMustBeAtLeast12Characters() {
        AdminApi.Response response = AdminApi.root(port).post(API + "/accounts",
                Map.of("email", "short-" + UUID.randomUUID() + "@cococloud.test", "password", "short")).expect(400);
        assertThat(response.json().get("detail").asString()).contains("at least 12 characters");
    }

    @Test
    void setupIsRefusedOnceAnAccountExists() {
        AdminApi browser = AdminApi.anonymous(port);
        String csrf = browser.csrfToken();
        browser.send("POST", API + "/auth/setup", Map.of("token", "anything", "email", "new@cococloud.test",
                "password", "a-long-password-here"), Map.of("X-XSRF-TOKEN", csrf)).expect(409);
    }

    private AdminApi signedInBrowser() {
        AdminApi browser = AdminApi.anonymous(port);
        String csrf = browser.csrfToken();
        browser.send("POST", API + "/auth/login", Map.of("email", AdminApi.ROOT_EMAIL, "password",
                AdminApi.ROOT_PASSWORD), Map.of("X-XSRF-TOKEN", csrf)).expect(200);
        return browser;
    }
}
