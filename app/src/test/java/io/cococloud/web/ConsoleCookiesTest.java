package io.cococloud.web;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

import io.cococloud.support.AdminApi;
import io.cococloud.support.HostHttp;
import io.cococloud.support.IntegrationTest;

/**
 * The console's session and CSRF cookies: never sent along with a request another site starts (SameSite=Strict),
 * host-only (no Domain), the session out of scripts' reach (HttpOnly); under an https console URL both carry the
 * {@code __Host-} prefix with Secure and Path=/. No other origin may read the CSRF token's answer (no CORS).
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
        HostHttp.Answer csrf = new HostHttp(port).send("GET", "localhost:" + port, API + "/auth/csrf",
                Map.of("Origin", "http://evil.localhost:" + port), null);

        assertThat(csrf.status()).isIn(200, 403);
        assertThat(csrf.headers().keySet()).noneMatch(name -> name.startsWith("access-control-"));
        String cookie = csrf.headers("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN=")).findFirst()
                .orElse(null);
        if (cookie != null) {
            assertThat(attributes(cookie)).contains("SameSite=Strict", "Path=/")
                    .noneMatch(a -> a.toLowerCase().startsWith("domain"));
        }
        HostHttp.Answer preflight = new HostHttp(port).send("OPTIONS", "localhost:" + port,
                API + "/projects", Map.of("Origin", "http://evil.localhost:" + port,
                        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-xsrf-token"),
                null);
        assertThat(preflight.headers().keySet()).noneMatch(name -> name.startsWith("access-control-allow"));
    }

    @Test
    void underAnHttpsConsoleBothCookiesAreHostPrefixedAndSecure() {
        ConsoleCookies cookies = new ConsoleCookies(new ConsoleAddress("https://console.example.com"));
        DefaultCookieSerializer serializer = new DefaultCookieSerializer();
        cookies.sessionCookie().customize(serializer);
        MockHttpServletRequest request = new MockHttpServletRequest(); // as behind a TLS proxy: plain http
        MockHttpServletResponse response = new MockHttpServletResponse();
        serializer.writeCookieValue(new CookieSerializer.CookieValue(request, response, "s3ss10n"));
        assertThat(response.getHeader("Set-Cookie")).startsWith("__Host-SESSION=");
        assertThat(attributes(response.getHeader("Set-Cookie"))).contains("Secure", "HttpOnly", "SameSite=Strict", "Path=/")
                .noneMatch(a -> a.toLowerCase().startsWith("domain"));

        CookieCsrfTokenRepository csrf = SecurityConfiguration.csrfTokens(cookies);
        MockHttpServletResponse csrfResponse = new MockHttpServletResponse();
        csrf.saveToken(csrf.generateToken(request), request, csrfResponse);
        assertThat(csrfResponse.getHeader("Set-Cookie")).startsWith("__Host-XSRF-TOKEN=");
        assertThat(attributes(csrfResponse.getHeader("Set-Cookie"))).contains("Secure", "SameSite=Strict", "Path=/")
                .noneMatch(a -> a.toLowerCase().startsWith("domain"));
    }

    @Test
    void underAnHttpConsoleTheNamesArePlainAndTheCookiesNotSecure() {
        ConsoleCookies cookies = new ConsoleCookies(new ConsoleAddress("http://localhost:8080/"));
        assertThat(cookies.sessionCookieName()).isEqualTo("SESSION");
        assertThat(cookies.csrfCookieName()).isEqualTo("XSRF-TOKEN");
    }

    private static java.util.List<String> attributes(String setCookie) {
        return java.util.Arrays.stream(setCookie.split(";")).map(String::strip).toList();
    }
}
