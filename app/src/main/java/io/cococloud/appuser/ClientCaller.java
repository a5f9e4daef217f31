package io.cococloud.appuser;

import java.util.UUID;

import io.cococloud.error.UnauthenticatedException;

/**
 * Who makes a client API call ({@code /collections}, {@code /auth-collections}): the project of the
 * {@code x-api-key}, whether that key is a server key, and the app user of the {@code Authorization: Bearer} token
 * (a live session of that project), or null when no token was sent. A handler declares it as a parameter; see
 * {@link ClientCallerResolver}.
 */
public record ClientCaller(UUID projectId, boolean server, AppUser user, String accessToken) {

    /** The id documents record as their creator: the app user's, or null. */
    public String ownerId() {
        return user == null ? null : user.id();
    }

    /** What this caller reads as: a server key reads for the project, a client key as its user (or none). */
    public ReadAccess reader() {
        return server ? ReadAccess.project() : ReadAccess.client(user);
    }

    /** The signed-in app user; 401 when the call came without a token. */
    AppUser signedIn() {
        if (user == null) {
            throw new UnauthenticatedException(ClientCallerResolver.SEND_TOKEN);
        }
        return user;
    }

    /** Leaves the session token out, so that a logged caller does not leak it. */
    @Override
    public String toString() {
        return "ClientCaller[projectId=" + projectId + ", server=" + server + ", user="
                + (user == null ? null : user.id()) + "]";
    }
}
