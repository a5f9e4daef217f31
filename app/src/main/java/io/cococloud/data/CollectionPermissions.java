package io.cococloud.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import io.cococloud.appuser.AppUser;
import io.cococloud.appuser.AppUserService;
import io.cococloud.project.ApiKeyService;
import io.cococloud.project.ApiKeyService.ResolvedKey;
import io.cococloud.web.ApiProblem;

/**
 * Who is calling the client API, and whether they may do an action on a collection. A collection's row holds
 * {@code {"create": [roles], "read": [...], "update": [...], "delete": [...]}}: a missing row or an empty list
 * means anyone with the project's key; otherwise a signed-in app user with one of the roles (no user 401, no
 * such role 403). A server key may do everything.
 */
@Component
class CollectionPermissions {

    static final String API_KEY_HEADER = "x-api-key";
    static final List<String> ACTIONS = List.of("create", "read", "update", "delete");

    private final ApiKeyService keys;
    private final AppUserService users;
    private final DocumentService documents;

    CollectionPermissions(ApiKeyService keys, AppUserService users, DocumentService documents) {
        this.keys = keys;
        this.users = users;
        this.documents = documents;
    }

    /** The caller of these headers; 401 for a missing or unknown key, or a token that is not of its project. */
    ClientCaller caller(String apiKey, String authorization) {
        if (apiKey == null || apiKey.isBlank()) {
            throw ApiProblem.unauthenticated("Send the project's API key in the " + API_KEY_HEADER + " header");
        }
        ResolvedKey key = keys.resolve(apiKey.strip())
                .orElseThrow(() -> ApiProblem.unauthenticated("The API key is unknown or has been revoked"));
        AppUser user = null;
        if (authorization != null && !authorization.isBlank()) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
                throw ApiProblem.unauthenticated("Send the access token as " + HttpHeaders.AUTHORIZATION
                        + ": Bearer <access_token>");
            }
            user = users.findBySessionToken(key.projectId(), authorization.substring(7).strip()).orElseThrow(
                    () -> ApiProblem.unauthenticated("The access token is invalid or has expired; log in again"));
        }
        return new ClientCaller(key.projectId(), key.server(), user);
    }

    /** Throws 401 or 403 unless the caller may do {@code action} on the collection. */
    void require(ClientCaller caller, String collection, String action) {
        if (caller.server()) {
            return;
        }
        List<String> roles = roles(documents.permissions(caller.projectId(), collection).get(action));
        if (roles.isEmpty()) {
            return;
        }
        if (caller.user() == null) {
            throw ApiProblem.unauthenticated("Sign in to " + action + " documents of " + collection
                    + ": send Authorization: Bearer <access_token>");
        }
        if (caller.user().roles().stream().noneMatch(roles::contains)) {
            throw ApiProblem.forbidden("To " + action + " documents of " + collection + " you need one of the roles "
                    + String.join(", ", roles));
        }
    }

    /** The permissions of a new collection, checked: every action present, each a list of role names. */
    static Map<String, Object> validate(Object given) {
        Map<String, Object> permissions = new LinkedHashMap<>();
        ACTIONS.forEach(action -> permissions.put(action, List.of()));
        if (given == null) {
            return permissions;
        }
        if (!(given instanceof Map<?, ?> map)) {
            throw ApiProblem.badRequest("permissions must be an object such as {\"read\": [], \"create\": [\"admin\"]}");
        }
        map.forEach((action, roles) -> {
            String name = String.valueOf(action).toLowerCase(Locale.ROOT);
            if (!ACTIONS.contains(name)) {
                throw ApiProblem.badRequest("permissions." + action + " is not one of " + String.join(", ", ACTIONS));
            }
            if (roles != null && !(roles instanceof List<?> list
                    && list.stream().allMatch(role -> role instanceof String s && !s.isBlank() && s.length() <= 100))) {
                throw ApiProblem.badRequest("permissions." + action + " must be a list of role names");
            }
            permissions.put(name, roles == null ? List.of() : roles);
        });
        return permissions;
    }

    private static List<String> roles(Object stored) {
        return stored instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }
}
