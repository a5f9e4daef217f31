package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** Bad sign-up and login input gets a 400 problem whose detail names what is wrong. */
@IntegrationTest
class AppUserBadInputTest {

    @LocalServerPort
    int port;

    AppUsers app;

    @BeforeEach
    void project() {
        app = AppUsers.newProject(port);
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(app.call("POST", "/signup", "{\"email\": ").expect(400), "malformed-request",
                "Malformed JSON");
    }

    @Test
    void anUnknownFieldIs400() {
        assertProblem(app.call("POST", "/signup", Map.of("email", AppUsers.email(), "password", "password-1",
                "is_admin", true)).expect(400), "malformed-request", "Unknown field 'is_admin'");
    }

    @Test
    void aShortPasswordIs400() {
        assertProblem(app.call("POST", "/signup", Map.of("email", AppUsers.email(), "password", "short"))
                .expect(400), "validation", "password must be at least 8 characters");
    }

    @Test
    void aPasswordOver72BytesIs400() {
        assertProblem(app.call("POST", "/signup", Map.of("email", AppUsers.email(), "password", "é".repeat(37)))
                .expect(400), "validation", "password must be at most 72 bytes");
    }

    @Test
    void anInvalidEmailIs400() {
        assertProblem(app.call("POST", "/signup", Map.of("email", "not-an-email", "password", "password-1"))
                .expect(400), "validation", "email must be a well-formed email address");
    }

    @Test
    void aShortNewPasswordIs400AndChangesNothing() {
        String email = AppUsers.email();
        String token = app.signUp(email, "password-1");
        assertProblem(app.callAs("PATCH", "/user", Map.of("password", "short", "current_password", "password-1"), token).expect(400), "validation",
                "password must be at least 8 characters");
        app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(200);
    }

    private static void assertProblem(AdminApi.Response response, String type, String detail) {
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("urn:cococloud:problem:" + type);
        assertThat(response.json().get("detail").asString()).contains(detail);
    }
}
