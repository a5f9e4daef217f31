package io.cococloud.appuser;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.error.ForbiddenException;
import io.cococloud.error.NotFoundException;
import io.cococloud.error.UnauthenticatedException;
import io.cococloud.project.ApiKeyService.ResolvedKey;

/**
 * The CocoBase client API's {@code /auth-collections}: an app's users sign up, log in, read and
 * change their profile, log out, reset a forgotten password and verify their address; servers
 * (and the clients a project opens its users to) list users. The project is named by its API key
 * ({@code x-api-key}); the user by the access token ({@code Authorization: Bearer}): both resolved by {@link ClientCallerResolver} before a
 * handler runs, after its body is read and validated.
 */
@RestController
@RequestMapping("/auth-collections")
class AppUserAuthController {

    /** The one answer of forgot-password, whether or not the address has an account. */
    static final String RESET_SENT = "If an account with that email exists, a password reset link has been sent";

    private final AppUserService users;
    private final AppUserDirectory directory;
    private final AppUserRecovery recovery;
    private final AppUserVisibility visibility;

    AppUserAuthController(AppUserService users, AppUserDirectory directory,
            AppUserRecovery recovery, AppUserVisibility visibility) {
        this.users = users;
        this.directory = directory;
        this.recovery = recovery;
        this.visibility = visibility;
    }

    record SignupRequest(@NotBlank @Email @Size(max = 254) String email, @NotBlank String password,
            Map<String, Object> data, @Size(max = 50) List<@NotBlank @Size(max = 100) String> roles) {}

    record LoginRequest(@NotBlank @Email @Size(max = 254) String email, @NotBlank @Size(max = 200) String password) {}

    record UpdateRequest(@Email @Size(max = 254) String email, String password, Map<String, Object> data,
            @Size(max = 200) String currentPassword) {}

    record ForgotPasswordRequest(@NotBlank @Email @Size(max = 254) String email) {}

    record ResetPasswordRequest(@NotBlank @Size(max = 200) String token, @NotNull String newPassword) {}

    record VerifyEmailRequest(@NotBlank @Size(max = 200) String token) {}

    record Message(String message) {}

    record VerificationSent(String message, long expiresInHours) {}

    record EmailVerified(String message, boolean emailVerified, Instant verifiedAt) {}

    record AuthResponse(String accessToken, Map<String, Object> user) {
        static AuthResponse of(AppUserService.Session session) {
            return new AuthResponse(session.accessToken(), session.user().publicView());
        }
    }

    /** Roles are granted only with a server key: a client (browser, app) must not make itself admin. */
    @PostMapping("/signup")
    @ResponseStatus(HttpStatus.CREATED)
    AuthResponse signUp(@Valid @RequestBody SignupRequest body, ResolvedKey key) {
        List<String> roles = key.server() && body.roles() != null ? body.roles().stream().map(String::strip)
                .distinct().toList() : List.of();
        return AuthResponse.of(users.signUp(key.projectId(), body.email(), body.password(), body.data(), roles));
    }

    @PostMapping("/login")
    AuthResponse logIn(@Valid @RequestBody LoginRequest body, ResolvedKey key, HttpServletRequest request) {
        return AuthResponse.of(users.logIn(key.projectId(), body.email(), body.password(), request.getRemoteAddr()));
    }

    @GetMapping("/user")
    Map<String, Object> me(ClientCaller caller) {
        return caller.signedIn().publicView();
    }

    @PatchMapping("/user")
    Map<String, Object> update(@Valid @RequestBody UpdateRequest body, ClientCaller caller,
            HttpServletRequest request) {
        UUID projectId = caller.projectId();
        AppUser me = caller.signedIn();
        if (body.email() != null || body.password() != null) {
            // A session token alone must not be enough to lock the owner out: a stolen one would be.
            users.confirmPassword(projectId, me, body.currentPassword(), request.getRemoteAddr());
        }
        return users.update(projectId, me.id(), caller.accessToken(), body.email(), body.password(), body.data())
                .publicView();
    }

    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logOut(ClientCaller caller) {
        caller.signedIn();
        users.logOut(caller.projectId(), caller.accessToken());
    }

    /**
     * Users of the project, filtered as documents are (see AppUserDirectory), newest first. Only for a server key,
     * or for the clients the project opens its users to ({@link AppUserReadSettings}): they see each other user's
     * id and public fields, may filter and sort only on those, and see their own record in full. So a client key
     * shipped in an app cannot harvest the addresses. Disabled users are left out.
     */
    @GetMapping("/users")
    AppUserDirectory.Page.View listUsers(ClientCaller caller, @RequestParam MultiValueMap<String, String> params) {
        AppUserDirectory.Query query = AppUserDirectory.Query.of(params);
        List<String> populate = AppUserDirectory.populateEntries(params);
        VisibleUsers visible = visibility.of(caller.projectId(), caller.reader());
        requireOthersVisible(visible, "list users");
        for (String field : AppUserDirectory.fieldsRead(query)) {
            if (!visible.mayFilterOn(field)) {
                throw new ForbiddenException("Filtering or sorting users on '" + field.replaceFirst("^data\\.", "")
                        + "' needs a server key: it is not one of the public fields of this project's users");
            }
        }
        AppUserDirectory.Page page = directory.list(caller.projectId(), query, false);
        List<Map<String, Object>> views = page.data().stream().map(user -> visible.view(user.user()).orElseThrow())
                .toList();
        directory.populate(caller.projectId(), views, populate, visible);
        return page.view(views);
    }

    /**
     * One user: the caller's own record in full, another's under the same rule as the list; 404 when absent or
     * disabled.
     */
    @GetMapping("/users/{userId}")
    Map<String, Object> getUser(ClientCaller caller, @PathVariable String userId) {
        VisibleUsers visible = visibility.of(caller.projectId(), caller.reader());
        if (!visible.reader().isSelf(userId)) {
            // refused whether or not the user exists, so that ids cannot be probed
            requireOthersVisible(visible, "read another user's record");
        }
        return directory.find(caller.projectId(), userId, false).flatMap(user -> visible.view(user.user()))
                .orElseThrow(() -> NotFoundException.of("User " + userId));
    }

    /** Always the same 200, so that the answer does not tell whether the address has an account. */
    @PostMapping("/forgot-password")
    Message forgotPassword(@Valid @RequestBody ForgotPasswordRequest body, ResolvedKey key) {
        recovery.forgotPassword(key.projectId(), body.email().strip());
        return new Message(RESET_SENT);
    }

    @PostMapping("/reset-password")
    Message resetPassword(@Valid @RequestBody ResetPasswordRequest body, ResolvedKey key) {
        recovery.resetPassword(key.projectId(), body.token(), body.newPassword());
        return new Message("Your password has been reset; log in with the new password");
    }

    /** Send and resend are the same: a new link replaces any earlier one. Throttled per user. */
    @PostMapping({"/verify-email/send", "/verify-email/resend"})
    VerificationSent sendVerification(ClientCaller caller) {
        AppUser me = caller.signedIn();
        long hours = recovery.sendVerification(caller.projectId(), me).toHours();
        return new VerificationSent("A verification link has been sent to " + me.email(), hours);
    }

    /** The token proves the address; no sign-in needed, as the link may be opened on another device. */
    @PostMapping("/verify-email/verify")
    EmailVerified verifyEmail(@Valid @RequestBody VerifyEmailRequest body, ResolvedKey key) {
        Instant at = recovery.verifyEmail(key.projectId(), body.token());
        return new EmailVerified("Your email address has been verified", true, at);
    }

    /** 401 when signing in would let the caller see other users, else 403 naming why it may not. */
    private static void requireOthersVisible(VisibleUsers visible, String action) {
        if (visible.othersVisible()) {
            return;
        }
        if (visible.openToSignedInUsers()) {
            throw new UnauthenticatedException("Sign in to " + action + ": send Authorization: Bearer <access_token>"
                    + " (or call with a server key)");
        }
        throw new ForbiddenException("This project keeps its app users private: to " + action + " call with a server"
                + " key; a signed-in user reads its own record (GET /auth-collections/user). The project's admins"
                + " can open users to clients in its app user settings (readable_by, public_fields).");
    }
}
