package io.cococloud.appuser;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.project.ApiKeyService;
import io.cococloud.project.ApiKeyService.ResolvedKey;
import io.cococloud.web.ApiProblem;

/**
 * The CocoBase client API's {@code /auth-collections}: an app's users sign up, log in, read and
 * change their profile, and log out. The project is named by its API key ({@code x-api-key});
 * the user by the access token ({@code Authorization: Bearer}).
 */
@RestController
@RequestMapping("/auth-collections")
class AppUserAuthController {

    static final String API_KEY_HEADER = "x-api-key";

    private final AppUserService users;
    private final ApiKeyService keys;

    AppUserAuthController(AppUserService users, ApiKeyService keys) {
        this.users = users;
        this.keys = keys;
    }

    record SignupRequest(@NotBlank @Email @Size(max = 254) String email, @NotBlank String password,
            Map<String, Object> data, @Size(max = 50) List<@NotBlank @Size(max = 100) String> roles) {}

    record LoginRequest(@NotBlank @Email @Size(max = 254) String email, @NotBlank @Size(max = 200) String password) {}

    record UpdateRequest(@Email @Size(max = 254) String email, String password, Map<String, Object> data) {}

    record AuthResponse(String accessToken, Map<String, Object> user) {
        static AuthResponse of(AppUserService.Session session) {
            return new AuthResponse(session.accessToken(), session.user().publicView());
        }
    }

    /** Roles are granted only with a server key: a client (browser, app) must not make itself admin. */
    @PostMapping("/signup")
    @ResponseStatus(HttpStatus.CREATED)
    AuthResponse signUp(@RequestHeader(name = API_KEY_HEADER, required = false) String apiKey,
            @Valid @RequestBody SignupRequest body) {
        ResolvedKey key = project(apiKey);
        List<String> roles = key.server() && body.roles() != null ? body.roles().stream().map(String::strip)
                .distinct().toList() : List.of();
        return AuthResponse.of(users.signUp(key.projectId(), body.email(), body.password(), body.data(), roles));
    }

    @PostMapping("/login")
    AuthResponse logIn(@RequestHeader(name = API_KEY_HEADER, required = false) String apiKey,
            @Valid @RequestBody LoginRequest body, HttpServletRequest request) {
        UUID projectId = project(apiKey).projectId();
        return AuthResponse.of(users.logIn(projectId, body.email(), body.password(), request.getRemoteAddr()));
    }

    @GetMapping("/user")
    Map<String, Object> me(@RequestHeader(name = API_KEY_HEADER, required = false) String apiKey,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        UUID projectId = project(apiKey).projectId();
        return signedIn(projectId, bearer(authorization)).publicView();
    }

    @PatchMapping("/user")
    Map<String, Object> update(@RequestHeader(name = API_KEY_HEADER, required = false) String apiKey,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @Valid @RequestBody UpdateRequest body) {
        UUID projectId = project(apiKey).projectId();
        String token = bearer(authorization);
        AppUser me = signedIn(projectId, token);
        return users.update(projectId, me.id(), token, body.email(), body.password(), body.data()).publicView();
    }

    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logOut(@RequestHeader(name = API_KEY_HEADER, required = false) String apiKey,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        UUID projectId = project(apiKey).projectId();
        String token = bearer(authorization);
        signedIn(projectId, token);
        users.logOut(projectId, token);
    }

    private ResolvedKey project(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw ApiProblem.unauthenticated("Send the project's API key in the " + API_KEY_HEADER + " header");
        }
        return keys.resolve(apiKey.strip())
                .orElseThrow(() -> ApiProblem.unauthenticated("The API key is unknown or has been revoked"));
    }

    private AppUser signedIn(UUID projectId, String token) {
        return users.findBySessionToken(projectId, token).orElseThrow(
                () -> ApiProblem.unauthenticated("The access token is invalid or has expired; log in again"));
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            throw ApiProblem.unauthenticated("Send the access token as Authorization: Bearer <access_token>");
        }
        return authorization.substring(7).strip();
    }
}
