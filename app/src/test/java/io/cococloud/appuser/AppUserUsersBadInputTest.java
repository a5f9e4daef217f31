package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** Bad input to the user admin API, the user lists and the recovery calls: a 400 problem naming what is wrong. */
@IntegrationTest
class AppUserUsersBadInputTest {

    @LocalServerPort
    int port;

    UserAdmin admin;

    @BeforeEach
    void project() {
        admin = UserAdmin.newProject(port);
    }

    // ------------------------------------------------------------------------------- admin API bodies

    @Test
    void adminCreateWithMalformedJsonIs400() {
        assertProblem(admin.owner().post(admin.users, "{\"email\": "), "malformed-request", "Malformed JSON");
    }

    @Test
    void adminCreateWithAnUnknownFieldIs400() {
        assertProblem(admin.owner().post(admin.users, Map.of("email", AppUsers.email(), "password", "password-1",
                "is_admin", true)), "malformed-request", "Unknown field 'is_admin'");
    }

    @Test
    void adminCreateWithoutAnEmailIs400() {
        assertProblem(admin.owner().post(admin.users, Map.of("password", "password-1")), "validation", "email");
    }

    @Test
    void adminCreateWithoutAPasswordIs400() {
        assertProblem(admin.owner().post(admin.users, Map.of("email", AppUsers.email())), "validation",
                "password");
    }

    @Test
    void adminCreateWithAWeakPasswordIs400() {
        assertProblem(admin.owner().post(admin.users, Map.of("email", AppUsers.email(), "password", "short")),
                "validation", "password must be at least 8 characters");
    }

    @Test
    void adminCreateWithRolesAsAStringIs400() {
        assertProblem(admin.owner().post(admin.users, Map.of("email", AppUsers.email(), "password", "password-1",
                "roles", "admin")), "malformed-request", "roles");
    }

    @Test
    void adminCreateWithDataAsAListIs400() {
        assertProblem(admin.owner().post(admin.users, Map.of("email", AppUsers.email(), "password", "password-1",
                "data", List.of(1, 2))), "malformed-request", "data");
    }

    @Test
    void adminPatchWithDisabledAsTextIs400() {
        String id = admin.createId(AppUsers.email(), Map.of());
        assertProblem(admin.owner().patch(admin.users + "/" + id, Map.of("disabled", "maybe")), "malformed-request",
                "disabled");
    }

    @Test
    void adminPatchWithAnInvalidEmailIs400AndChangesNothing() {
        String email = AppUsers.email();
        String id = admin.createId(email, Map.of());
        assertProblem(admin.owner().patch(admin.users + "/" + id, Map.of("email", "not-an-email", "data",
                Map.of("x", 1))), "validation", "email");
        assertProblem(admin.owner().patch(admin.users + "/" + id, Map.of("email", "")), "validation", "email");
        assertThat(admin.owner().get(admin.users + "/" + id).expect(200).json().get("email").asString())
                .isEqualTo(email);
    }

    @Test
    void adminPatchWithAWeakPasswordIs400AndChangesNothing() {
        String email = AppUsers.email();
        String id = admin.createId(email, Map.of());
        assertProblem(admin.owner().patch(admin.users + "/" + id, Map.of("password", "short", "data",
                Map.of("x", 1))), "validation", "password must be at least 8 characters");
        assertThat(admin.owner().get(admin.users + "/" + id).expect(200).json().get("data").has("x")).isFalse();
        admin.app.call("POST", "/login", Map.of("email", email, "password", "password-1")).expect(200);
    }

    // ------------------------------------------------------------------------------- list parameters

    @Test
    void aLimitOver1000Is400NamingLimit() {
        assertProblem(admin.owner().get(admin.users + "?limit=100000"), "validation",
                "limit must be between 1 and 1000, not 100000");
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        assertProblem(admin.app.callAs("GET", "/users?limit=100000", null, token), "validation",
                "limit must be between 1 and 1000");
    }

    @Test
    void aLimitOfZeroIs400() {
        assertProblem(admin.owner().get(admin.users + "?limit=0"), "validation", "limit must be between 1 and 1000");
    }

    @Test
    void aLimitThatIsNoNumberIs400() {
        assertProblem(admin.owner().get(admin.users + "?limit=ten"), "validation", "limit must be a whole number");
    }

    @Test
    void aNegativeOffsetIs400() {
        assertProblem(admin.owner().get(admin.users + "?offset=-1"), "validation", "offset must not be negative");
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        assertProblem(admin.app.callAs("GET", "/users?offset=-5", null, token), "validation",
                "offset must not be negative");
    }

    @Test
    void anUnknownOrderIs400() {
        assertProblem(admin.owner().get(admin.users + "?order=sideways"), "validation", "order must be asc or desc");
    }

    @Test
    void aSortThatIsNoFieldNameIs400() {
        assertProblem(admin.owner().get(admin.users + "?sort=a;drop"), "validation", "sort must name a field");
    }

    @Test
    void anUnknownOperatorIs400() {
        assertProblem(admin.owner().get(admin.users + "?age__between=1"), "validation", "unknown operator 'between'");
    }

    @Test
    void anOperatorThatDoesNotApplyToEmailIs400() {
        assertProblem(admin.owner().get(admin.users + "?email_gt=a"), "validation",
                "operator 'gt' does not apply to email");
    }

    @Test
    void aDisabledFilterThatIsNoBooleanIs400() {
        assertProblem(admin.owner().get(admin.users + "?disabled=perhaps"), "validation",
                "disabled must be true or false");
    }

    @Test
    void aTimeFilterThatIsNoDateIs400() {
        assertProblem(admin.owner().get(admin.users + "?created_at_gt=yesterday"), "validation", "created_at");
    }

    @Test
    void aRepeatedFilterIs400NamingIt() {
        assertProblem(admin.owner().get(admin.users + "?city=Paris&city=Rome"), "validation",
                "filter 'city' is given 2 times");
    }

    @Test
    void aNestedPopulateIs400() {
        String token = admin.app.signUp(AppUsers.email(), "password-1");
        assertProblem(admin.app.callAs("GET", "/users?populate=manager.team", null, token), "validation",
                "populate entry 'manager.team'");
    }

    // ------------------------------------------------------------------------------- recovery bodies

    @Test
    void forgotPasswordWithMalformedJsonIs400() {
        assertProblem(admin.app.call("POST", "/forgot-password", "{\"email\""), "malformed-request",
                "Malformed JSON");
    }

    @Test
    void forgotPasswordWithoutAnEmailIs400() {
        assertProblem(admin.app.call("POST", "/forgot-password", Map.of()), "validation", "email");
    }

    @Test
    void forgotPasswordWithAnEmailAsANumberIs400() {
        assertProblem(admin.app.call("POST", "/forgot-password", Map.of("email", 42)), "malformed-request",
                "email");
    }

    @Test
    void resetPasswordWithABadTokenIs400NamingTheToken() {
        assertProblem(admin.app.call("POST", "/reset-password", Map.of("token", "coco_rt_forged", "new_password",
                "password-2")), "validation", "token is not a valid password reset token");
    }

    @Test
    void resetPasswordWithoutANewPasswordIs400() {
        assertProblem(admin.app.call("POST", "/reset-password", Map.of("token", "coco_rt_x")), "validation",
                "new_password");
    }

    @Test
    void resetPasswordWithATokenAsANumberIs400() {
        assertProblem(admin.app.call("POST", "/reset-password", Map.of("token", 7, "new_password", "password-2")),
                "malformed-request", "token");
    }

    @Test
    void resetPasswordWithAnUnknownFieldIs400() {
        assertProblem(admin.app.call("POST", "/reset-password", Map.of("token", "t", "password", "password-2")),
                "malformed-request", "Unknown field 'password'");
    }

    @Test
    void verifyEmailWithABadTokenIs400NamingTheToken() {
        assertProblem(admin.app.call("POST", "/verify-email/verify", Map.of("token", "coco_vt_forged")),
                "validation", "token is not a valid email verification token");
    }

    @Test
    void verifyEmailWithoutATokenIs400() {
        assertProblem(admin.app.call("POST", "/verify-email/verify", Map.of()), "validation", "token");
    }

    @Test
    void verifyEmailWithoutABodyIs400() {
        assertProblem(admin.app.call("POST", "/verify-email/verify", null), "malformed-request", "body");
    }

    @Test
    void theRecoveryCallsNeedAnApiKey() {
        assertProblem(admin.app.raw("POST", "/forgot-password", Map.of("email", AppUsers.email()), Map.of()),
                "unauthenticated", "x-api-key");
        assertProblem(admin.app.raw("POST", "/reset-password", Map.of("token", "t", "new_password", "password-2"),
                Map.of()), "unauthenticated", "x-api-key");
    }

    private static void assertProblem(AdminApi.Response response, String type, String detail) {
        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).as(response.body())
                .isEqualTo("urn:cococloud:problem:" + type);
        assertThat(response.json().get("detail").asString()).contains(detail);
    }
}
