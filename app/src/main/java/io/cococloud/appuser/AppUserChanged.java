package io.cococloud.appuser;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An app user was created, signed in, changed or deleted: published inside the change's transaction (a login's in
 * none), for what must happen with it (after-hooks on users, docs/hooks.md).
 *
 * @param user    the user's public fields after the change (for a delete: before it)
 * @param oldUser the public fields before an update or delete; null otherwise
 */
public record AppUserChanged(Type type, UUID projectId, String userId, Map<String, Object> user,
        Map<String, Object> oldUser, Instant at) {

    public enum Type {
        CREATE, LOGIN, UPDATE, DELETE;

        /** users.create, users.login, users.update, users.delete. */
        public String eventName() {
            return "users." + name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
