package io.cococloud.admin;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.cococloud.token.BearerToken;
import io.cococloud.web.ProblemResponses;
import io.cococloud.web.ProblemType;

/**
 * Authenticates {@code Authorization: Bearer coco_pat_...} on the admin API. A bearer token that
 * is not valid ends the request with 401 instead of falling back to the session, so a script
 * with a revoked token learns it at once. Runs in the admin filter chain only (not as a
 * servlet filter of its own: see security/SecurityConfiguration).
 */
@Component
public class PersonalAccessTokenFilter extends OncePerRequestFilter {

    private final PersonalAccessTokens tokens;
    private final ProblemResponses problems;

    PersonalAccessTokenFilter(PersonalAccessTokens tokens, ProblemResponses problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    /** True for requests that authenticate with a token: they need no CSRF token. */
    public static boolean hasBearerToken(HttpServletRequest request) {
        return BearerToken.isBearer(request.getHeader(HttpHeaders.AUTHORIZATION));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!hasBearerToken(request)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<AdminPrincipal> principal = BearerToken.of(request.getHeader(HttpHeaders.AUTHORIZATION))
                .flatMap(tokens::authenticate);
        if (principal.isEmpty()) {
            problems.write(request, response, ProblemType.UNAUTHENTICATED,
                    "The bearer token is unknown, expired or revoked");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication(principal.get()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    static UsernamePasswordAuthenticationToken authentication(AdminPrincipal principal) {
        var authorities = principal.instanceAdmin()
                ? List.of(new SimpleGrantedAuthority("ROLE_ACCOUNT"), new SimpleGrantedAuthority("ROLE_INSTANCE_ADMIN"))
                : List.of(new SimpleGrantedAuthority("ROLE_ACCOUNT"));
        return UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities);
    }
}
