package io.cococloud.security;

import org.springframework.boot.session.autoconfigure.DefaultCookieSerializerCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.session.SessionManagementFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

import io.cococloud.admin.PersonalAccessTokenFilter;
import io.cococloud.web.ConsoleCookies;
import io.cococloud.web.ProblemResponses;
import io.cococloud.web.ProblemType;

/**
 * Three filter chains, one per surface. They live in a module of their own, above the modules whose filters they
 * wire (the admin token filter), so that {@code web} stays a low module that every feature may use (problem types,
 * error mapping, request limits, the console's address and cookies) without web depending back on any of them:
 * <ul>
 * <li>the admin API and actuator: console session (with CSRF) or personal access token;</li>
 * <li>the console's static files: public, with a strict Content-Security-Policy;</li>
 * <li>everything else (execution URLs, the client API, sites and static files): no session, no CSRF, because
 * those callers are apps and scripts that authenticate per request, if at all.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String API = "/admin/api/v1";

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder(); // BCrypt, upgradeable by prefix
    }

    /**
     * No observations of Spring Security's own: they wrapped each filter of every request in an observation (a
     * profile of a warm function call put ~5 % of the server's CPU there, issue 15) and fed no metric or trace that
     * anyone reads. Each request is still observed as a whole ({@code http_server_requests}).
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    @Bean
    DefaultCookieSerializerCustomizer consoleSessionCookie(ConsoleCookies cookies) {
        return cookies.sessionCookie();
    }

    /** The token filter runs inside the admin chain only, not as a servlet filter for every URL. */
    @Bean
    FilterRegistrationBean<PersonalAccessTokenFilter> personalAccessTokenFilterRegistration(
            PersonalAccessTokenFilter filter) {
        FilterRegistrationBean<PersonalAccessTokenFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    /**
     * The token filter runs after SessionManagementFilter: that filter takes any authentication it
     * finds for a fresh login and stores it in a session, and a token call must leave none behind.
     */
    @Bean
    @Order(1)
    SecurityFilterChain adminApi(HttpSecurity http, PersonalAccessTokenFilter tokenFilter,
            SecurityContextRepository contexts, ProblemResponses problems, ConsoleCookies cookies) throws Exception {
        // The header carries the cookie's value as is: the token is not secret from the page, and
        // a JSON API has no reflected HTML for BREACH-style masking to protect.
        CsrfTokenRequestAttributeHandler csrfHandler = new CsrfTokenRequestAttributeHandler();
        csrfHandler.setCsrfRequestAttributeName(null);
        RequestMatcher tokenRequest = PersonalAccessTokenFilter::hasBearerToken;
        return http
                .securityMatcher(API + "/**", "/actuator/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, API + "/auth/csrf").permitAll()
                        .requestMatchers(HttpMethod.POST, API + "/auth/login", API + "/auth/token",
                                API + "/auth/setup").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").hasRole("INSTANCE_ADMIN")
                        .anyRequest().authenticated())
                .csrf(csrf -> csrf
                        .csrfTokenRepository(cookies.csrfTokens())
                        .csrfTokenRequestHandler(csrfHandler)
                        // Scripts: a bearer token is not sent by browsers on their own, so no CSRF risk;
                        // /auth/token takes credentials in the body and sets no cookie.
                        .ignoringRequestMatchers(tokenRequest)
                        .ignoringRequestMatchers(API + "/auth/token"))
                .addFilterAfter(tokenFilter, SessionManagementFilter.class)
                .securityContext(context -> context.securityContextRepository(contexts))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> problems.write(request, response,
                                ProblemType.UNAUTHENTICATED, "Sign in (POST " + API + "/auth/login) or send"
                                        + " Authorization: Bearer <personal access token>"))
                        .accessDeniedHandler((request, response, e) -> {
                            if (e instanceof CsrfException) {
                                problems.write(request, response, ProblemType.CSRF, "Missing or invalid CSRF token:"
                                        + " send the " + cookies.csrfCookieName() + " cookie's value in the X-XSRF-TOKEN header (GET "
                                        + API + "/auth/csrf sets it), or use a personal access token");
                            } else {
                                problems.write(request, response, ProblemType.FORBIDDEN,
                                        "Your account may not do this");
                            }
                        }))
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain console(HttpSecurity http) throws Exception {
        return http
                .securityMatcher("/console", "/console/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                // blob: images only: a static file's preview, its bytes read through the admin API
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self';"
                                + " img-src 'self' data: blob:; object-src 'none'; base-uri 'none';"
                                + " frame-ancestors 'none'; form-action 'self'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.disable())
                .build();
    }

    /**
     * Functions, sites, static files and the client API: open to anyone (each checks its own keys and tokens), with
     * no session, sign-in or sign-out of Spring Security's. What this chain adds is the security headers, so that is
     * all it has: the filters it had besides (an authorization permitting everything, session management, the
     * security context's holder, a logout URL, the servlet API's request wrapper) ran in every warm function call
     * for nothing (bench/README.md, "Less work per request", twenty-seventh session).
     */
    @Bean
    @Order(3)
    SecurityFilterChain publicSurfaces(HttpSecurity http) throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.disable())
                .securityContext(context -> context.disable())
                .exceptionHandling(errors -> errors.disable())
                .logout(logout -> logout.disable())
                .servletApi(servletApi -> servletApi.disable())
                // Functions and static files decide their own caching.
                .headers(headers -> headers.cacheControl(cache -> cache.disable()))
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                .build();
    }
}
