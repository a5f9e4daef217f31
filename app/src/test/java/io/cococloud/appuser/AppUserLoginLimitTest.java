package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/** Failed logins through HTTP, with the configured limit of 10 failures per 15 minutes. */
@IntegrationTest
class AppUserLoginLimitTest {

    @LocalServerPort
    int port;

    @Test
    void theEleventhLoginAfterTenFailuresIs429WithRetryAfterEvenWithTheRightPassword() {
        AppUsers app = AppUsers.newProject(port);
        String email = AppUsers.email();
        app.signUp(email, "password-1");
        for (int i = 0; i < 10; i++) {
            app.call("POST", "/login", Map.of("email", email, "password", "wrong-password")).expect(401);
        }
        AdminApi.Response refused = app.call("POST", "/login", Map.of("email", email, "password", "password-1"))
                .expect(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 900L);
        assertThat(refused.json().get("detail").asString()).contains("Too many failed logins");
    }

    @Test
    void parallelWrongLoginsCheckNoMorePasswordsThanTheLimit() {
        AppUsers app = AppUsers.newProject(port);
        String email = AppUsers.email();
        app.signUp(email, "password-1");

        List<CompletableFuture<Integer>> guesses = IntStream.range(0, 40).mapToObj(i -> CompletableFuture.supplyAsync(
                () -> app.call("POST", "/login", Map.of("email", email, "password", "guess-" + i)).status()))
                .toList();
        List<Integer> statuses = guesses.stream().map(CompletableFuture::join).toList();

        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses.stream().filter(status -> status == 401).count()).as("passwords checked").isLessThanOrEqualTo(10);
    }
}
