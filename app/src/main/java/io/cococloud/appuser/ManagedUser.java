package io.cococloud.appuser;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** An app user as the project's team sees it in the admin API: the public view plus account state. */
record ManagedUser(AppUser user, boolean disabled, Instant updatedAt) {

    /** {id, email, data, roles, disabled, email_verified, email_verified_at, created_at, updated_at}; never a hash. */
    Map<String, Object> adminView() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", user.id());
        view.put("email", user.email());
        view.put("data", user.data());
        view.put("roles", user.roles());
        view.put("disabled", disabled);
        view.put("email_verified", user.emailVerified());
        view.put("email_verified_at", user.emailVerifiedAt());
        view.put("created_at", user.createdAt());
        view.put("updated_at", updatedAt);
        return view;
    }
}
