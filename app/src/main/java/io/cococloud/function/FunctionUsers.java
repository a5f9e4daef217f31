package io.cococloud.function;

import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.cococloud.appuser.AppUser;
import io.cococloud.appuser.AppUserService;
import io.cococloud.token.BearerToken;

/**
 * request.user: the app user of the function's project whose session token came as
 * {@code Authorization: Bearer}. Looked up only when a bearer token is sent, so a public call
 * still reads no table.
 */
@Component
class FunctionUsers {

    private final AppUserService users;

    FunctionUsers(AppUserService users) {
        this.users = users;
    }

    /** The user's public fields, or null without a valid token of this project. */
    Map<String, Object> userFor(UUID projectId, String authorization) {
        return BearerToken.of(authorization).flatMap(token -> users.findBySessionToken(projectId, token))
                .map(AppUser::publicView).orElse(null);
    }
}
