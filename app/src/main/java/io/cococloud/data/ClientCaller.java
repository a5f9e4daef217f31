package io.cococloud.data;

import java.util.UUID;

import io.cococloud.appuser.AppUser;
import io.cococloud.appuser.ReadAccess;

/**
 * Who makes a client API call: the project of the {@code x-api-key}, whether that key is a server key, and the
 * app user of the {@code Authorization: Bearer} token (looked up in that project), or null when none was sent.
 */
public record ClientCaller(UUID projectId, boolean server, AppUser user) {

    /** The id documents record as their creator: the app user's, or null. */
    public String ownerId() {
        return user == null ? null : user.id();
    }

    /** What this caller reads as: a server key reads for the project, a client key as its user (or none). */
    public ReadAccess reader() {
        return server ? ReadAccess.project() : ReadAccess.client(user);
    }
}
