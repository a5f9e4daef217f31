package io.cococloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * Under an https console URL the console's cookies carry the {@code __Host-} prefix (Secure, Path=/, no Domain),
 * which a browser accepts only from the console's own host: a page on a sibling host cannot plant one. Secure is
 * set even when the request looks like plain http, as behind a TLS-terminating proxy.
 */
class ConsoleCookieNamesTest {

    @Test
    void underAnHttpsConsoleBothCookiesAreHostPrefixedAndSecure() {
        ConsoleCookies cookies = new ConsoleCookies(new ConsoleAddress("https://console.example.com"));
        DefaultCookieSerializer serializer = new DefaultCookieSerializer();
        cookies.sessionCookie().customize(serializer);
        MockHttpServletRequest request = new MockHttpServletRequest(); // as behind a TLS proxy: plain http
        MockHttpServletResponse response = new MockHttpServletResponse();
        serializer.writeCookieValue(new CookieSerializer.CookieValue(request, response, "s3ss10n"));
        assertThat(response.getHeader("Set-Cookie")).startsWith("__Host-SESSION=");
        assertThat(attributes(response.getHeader("Set-Cookie")))
                .contains("Secure", "HttpOnly", "SameSite=Strict", "Path=/").noneMatch(a -> a.toLowerCase().startsWith("domain"));

        CookieCsrfTokenRepository csrf = cookies.csrfTokens();
        MockHttpServletResponse csrfResponse = new MockHttpServletResponse();
        csrf.saveToken(csrf.generateToken(request), request, csrfResponse);
        Cookie csrfCookie = csrfResponse.getCookie("__Host-XSRF-TOKEN");
        assertThat(csrfCookie).isNotNull();
        assertThat(csrfCookie.getSecure()).isTrue();
        assertThat(csrfCookie.getPath()).isEqualTo("/");
        assertThat(csrfCookie.getDomain()).isNull();
        assertThat(csrfCookie.getAttribute("SameSite")).isEqualTo("Strict");
    }

    @Test
    void underAnHttpConsoleTheNamesArePlainAndTheCookiesNotSecure() {
        ConsoleCookies cookies = new ConsoleCookies(new ConsoleAddress("http://localhost:8080/"));
        assertThat(cookies.sessionCookieName()).isEqualTo("SESSION");
        assertThat(cookies.csrfCookieName()).isEqualTo("XSRF-TOKEN");
        DefaultCookieSerializer serializer = new DefaultCookieSerializer();
        cookies.sessionCookie().customize(serializer);
        MockHttpServletResponse response = new MockHttpServletResponse();
        serializer.writeCookieValue(new CookieSerializer.CookieValue(new MockHttpServletRequest(), response, "s"));
        assertThat(attributes(response.getHeader("Set-Cookie"))).first().asString().startsWith("SESSION=");
        assertThat(attributes(response.getHeader("Set-Cookie"))).doesNotContain("Secure")
                .contains("HttpOnly", "SameSite=Strict");
    }

    private static List<String> attributes(String setCookie) {
        return Arrays.stream(setCookie.split(";")).map(String::strip).toList();
    }
}
