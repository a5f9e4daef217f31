package io.cococloud.admin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Signing in and out of the console, personal access tokens, and the caller's own account. */
@RestController
@RequestMapping("/admin/api/v1")
class AdminAuthController {

    private final AdminAccountService accounts;
    private final PersonalAccessTokens tokens;
    private final FirstAccountSetup setup;
    private final SecurityContextRepository contexts;

    AdminAuthController(AdminAccountService accounts, PersonalAccessTokens tokens, FirstAccountSetup setup,
            SecurityContextRepository contexts) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.setup = setup;
        this.contexts = contexts;
    }

    record LoginRequest(@NotBlank @Email @Size(max = 254) String email, @NotBlank @Size(max = 200) String password) {}

    record TokenRequest(@NotBlank @Email @Size(max = 254) String email, @NotBlank @Size(max = 200) String password,
            @Size(max = 100) String name, @Min(1) @Max(3650) Integer expiresInDays) {}

    record SetupRequest(@NotBlank String token, @NotBlank @Email @Size(max = 254) String email,
            @NotBlank String password, @Size(max = 100) String name) {}

    record CsrfView(String token, String headerName, String parameterName) {}

    record TokenView(UUID id, String name, String prefix, Instant createdAt, Instant lastUsedAt, Instant expiresAt) {
        static TokenView of(AdminToken t) {
            return new TokenView(t.id(), t.name(), t.prefix(), t.createdAt(), t.lastUsedAt(), t.expiresAt());
        }
    }

    /** A token as listed, and once, right after it is issued, the token itself. */
    record CreatedTokenView(UUID id, String name, String prefix, Instant createdAt, Instant lastUsedAt,
            Instant expiresAt, String token) {
        static CreatedTokenView of(PersonalAccessTokens.Issued issued) {
            TokenView t = TokenView.of(issued.token());
            return new CreatedTokenView(t.id(), t.name(), t.prefix(), t.createdAt(), t.lastUsedAt(), t.expiresAt(),
                    issued.secret());
        }
    }

    /** Reading the token makes Spring Security set the XSRF-TOKEN cookie on this response. */
    @GetMapping("/auth/csrf")
    CsrfView csrf(CsrfToken csrf) {
        return new CsrfView(csrf.getToken(), csrf.getHeaderName(), csrf.getParameterName());
    }

    @PostMapping("/auth/login")
    AccountView login(@Valid @RequestBody LoginRequest body, HttpServletRequest request,
            HttpServletResponse response) {
        AdminAccount account = accounts.authenticate(body.email(), body.password(), request.getRemoteAddr());
        if (request.getSession(false) != null) {
            request.changeSessionId(); // no session fixation: a pre-login session id never becomes authenticated
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(PersonalAccessTokenFilter.authentication(account.principal()));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return AccountView.of(account);
    }

    @PostMapping("/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
    }

    @PostMapping("/auth/token")
    @ResponseStatus(HttpStatus.CREATED)
    CreatedTokenView createToken(@Valid @RequestBody TokenRequest body, HttpServletRequest request) {
        AdminAccount account = accounts.authenticate(body.email(), body.password(), request.getRemoteAddr());
        return CreatedTokenView.of(tokens.issue(account.id(), body.name(), body.expiresInDays()));
    }

    @PostMapping("/auth/setup")
    @ResponseStatus(HttpStatus.CREATED)
    AccountView completeSetup(@Valid @RequestBody SetupRequest body) {
        return AccountView.of(setup.complete(body.token(), body.email(), body.password(), body.name()));
    }

    @GetMapping("/me")
    AccountView me(@AuthenticationPrincipal AdminPrincipal me) {
        return AccountView.of(accounts.get(me.accountId()));
    }

    @GetMapping("/tokens")
    List<TokenView> listTokens(@AuthenticationPrincipal AdminPrincipal me) {
        return tokens.list(me.accountId()).stream().map(TokenView::of).toList();
    }

    @DeleteMapping("/tokens/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeToken(@AuthenticationPrincipal AdminPrincipal me, @PathVariable UUID tokenId) {
        tokens.revoke(me.accountId(), tokenId);
    }
}
