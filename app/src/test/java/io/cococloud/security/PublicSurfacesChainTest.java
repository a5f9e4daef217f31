package io.cococloud.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * Functions, sites, static files and the client API pass through a security chain that writes the security headers
 * and does nothing else: no sign-out URL of its own, no session, nothing that answers in their place.
 */
@IntegrationTest
class PublicSurfacesChainTest {

    @LocalServerPort
    int port;

    @Test
    void logoutIsNoUrlOfTheServersOutsideTheAdminApi() {
        for (String method : new String[] {"GET", "POST"}) {
            AdminApi.Response answer = AdminApi.anonymous(port).send(method, "/logout", null, Map.of());
            assertThat(answer.status()).as(method).isEqualTo(404);
            assertThat(answer.header("Content-Type")).as(method).startsWith("application/problem+json");
            assertThat(answer.header("Location")).as(method + " redirects nowhere").isNull();
        }
    }

    @Test
    void aFunctionsAnswerCarriesTheSecurityHeadersAndSetsNoCookie() {
        Functions functions = Functions.inNewProject(port);
        String function = functions.deploy("def main():\n    return {'ok': True}\n");

        AdminApi.Response answer = functions.post(function, Map.of());

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(answer.raw().headers().allValues("Set-Cookie")).isEmpty();
    }
}
