package io.cococloud.web;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.HostHttp;
import io.cococloud.support.IntegrationTest;

/**
 * The console's session and CSRF cookies: never sent along with a request another site starts (SameSite=Strict),
 * host-only (no Domain), the session out of scripts' reach (HttpOnly). No other origin may read the CSRF token's
 * answer (no CORS). The names under an https console URL: {@link ConsoleCookieNamesTest}.
 */
@IntegrationTest
class ConsoleCookiesTest {

    @LocalServerPort
    int port;

    @Test
    void theSessionCookieOfASignInIsHttpOnlyStrictAndHostOnly() {
        HostHttp http = new HostHttp(port);
        String host = "localhost:" + port;
        HostHttp.Answer csrf = http.get(host, API + "/auth/csrf").expect(200);
        String token = csrf.json().get("token").asString();

        HostHttp.Answer login = http.send("POST", host, API + "/auth/login", Map.of("Content-Type",
                "application/json", "X-XSRF-TOKEN", token, "Cookie", "XSRF-TOKEN=" + token), "{\"email\": \""
                + AdminApi.ROOT_EMAIL + "\", \"password\": \"" + AdminApi.ROOT_PASSWORD + "\"}").expect(200);

        String session = login.headers("Set-Cookie").stream().filter(c -> c.startsWith("SESSION=")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie in " + login.headers()));
        assertThat(attributes(session)).contains("HttpOnly", "SameSite=Strict", "Path=/")
                .noneMatch(a -> a.toLowerCase().startsWith("domain"));
    }

    @Test
    void theCsrfCookieIsStrictAndHostOnlyAndItsAnswerCarriesNoCorsHeaders() {
        HostHttp.Answer csrf = new HostHttp(port).get("localhost:" + port, API + "/auth/csrf").expect(200);
        String cookie = csrf.headers("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN=")).findFirst()
                .orElseThrow(() -> new AssertionError("no CSRF cookie in " + csrf.headers()));
        assertThat(attributes(cookie)).contains("SameSite=Strict", "Path=/")
                .noneMatch(a -> a.toLowerCase().startsWith("domain"));

        HostHttp.Answer fromElsewhere = new HostHttp(port).send("GET", "localhost:" + port, API + "/auth/csrf",
                Map.of("Origin", "http://evil.localhost:" + port), null);
        assertThat(fromElsewhere.headers().keySet()).noneMatch(name -> name.startsWith("access-control-"));
        HostHttp.Answer preflight = new HostHttp(port).send("OPTIONS", "localhost:" + port,
                API + "/projects", Map.of("Origin", "http://evil.localhost:" + port,
                        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-xsrf-token"),
                null);
        assertThat(preflight.headers().keySet()).noneMatch(name -> name.startsWith("access-control-allow"));
    }

    private static List<String> attributes(String setCookie) {
        return Arrays.stream(setCookie.split(";")).map(String::strip).toList();
    }
}
