package io.cococloud.web;

import java.util.Locale;

import org.springframework.boot.session.autoconfigure.DefaultCookieSerializerCustomizer;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.stereotype.Component;

/**
 * The console's two cookies, the session and the CSRF token, and the rules that keep tenant content from
 * touching them. Both are host-only (no Domain) and SameSite=Strict; the session is HttpOnly. Under an https
 * console URL they carry the {@code __Host-} prefix, which a browser accepts only from the console's own host,
 * Secure, with Path=/ and no Domain: a page on a sibling host (a project's origin) cannot plant one.
 */
@Component
public class ConsoleCookies {

    static final String SESSION = "SESSION";
    static final String CSRF = "XSRF-TOKEN";
    private static final String HOST_PREFIX = "__Host-";
    private static final String SECURE_PREFIX = "__Secure-";

    private final boolean secure;

    public ConsoleCookies(ConsoleAddress console) {
        this.secure = console.secure();
    }

    public String sessionCookieName() {
        return secure ? HOST_PREFIX + SESSION : SESSION;
    }

    public String csrfCookieName() {
        return secure ? HOST_PREFIX + CSRF : CSRF;
    }

    /**
     * Whether a cookie of this name could stand in for one of the console's, whatever the scheme: SESSION or
     * XSRF-TOKEN, bare or with a {@code __Host-}/{@code __Secure-} prefix, in any case (browsers compare the
     * prefixes case-insensitively, and a server should not have to guess which spelling a browser keeps).
     */
    public static boolean isConsoleCookieName(String name) {
        String bare = name.strip().toUpperCase(Locale.ROOT);
        for (String prefix : new String[] {HOST_PREFIX, SECURE_PREFIX}) {
            if (bare.startsWith(prefix.toUpperCase(Locale.ROOT))) {
                bare = bare.substring(prefix.length());
            }
        }
        return bare.equals(SESSION) || bare.equals(CSRF);
    }

    /** Whether a cookie Path would send the cookie to the console or its API ({@code /admin...}, {@code /console...}). */
    public static boolean isConsolePath(String path) {
        String p = path.strip().toLowerCase(Locale.ROOT);
        return p.startsWith("/admin") || p.startsWith("/console");
    }

    /** Spring Session's cookie: see the class comment. Runs after Boot applied server.servlet.session.cookie.*. */
    public DefaultCookieSerializerCustomizer sessionCookie() {
        return serializer -> {
            serializer.setCookieName(sessionCookieName());
            serializer.setUseHttpOnlyCookie(true);
            serializer.setSameSite("Strict");
            serializer.setDomainName(null);
            serializer.setCookiePath("/");
            // Set, not guessed from the request: behind a TLS-terminating proxy the request looks like http,
            // and a __Host- cookie without Secure is thrown away by the browser.
            serializer.setUseSecureCookie(secure);
        };
    }

    /**
     * The CSRF token's cookie: readable by the console's own scripts (they echo it in X-XSRF-TOKEN), by no other
     * origin: host-only and SameSite=Strict; and /auth/csrf sends no CORS headers, so no other origin can read
     * its answer either.
     */
    public CookieCsrfTokenRepository csrfTokens() {
        CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
        repository.setCookieName(csrfCookieName());
        repository.setCookiePath("/");
        repository.setCookieCustomizer(this::csrfCookie);
        return repository;
    }

    /** The CSRF cookie's attributes (its name is set on the repository). */
    void csrfCookie(ResponseCookie.ResponseCookieBuilder cookie) {
        cookie.sameSite("Strict").secure(secure).path("/");
    }
}
