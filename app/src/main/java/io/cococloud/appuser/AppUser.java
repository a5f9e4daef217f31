package io.cococloud.appuser;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A project's app user as the client API shows it: never a password hash or a token. */
public record AppUser(String id, String email, Map<String, Object> data, List<String> roles, boolean emailVerified,
        Instant emailVerifiedAt, Instant createdAt) {

    public AppUser {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** {id, email, data, roles, created_at, email_verified, email_verified_at} — never a hash or token. */
    public Map<String, Object> publicView() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("email", email);
        view.put("data", data);
        view.put("roles", roles);
        view.put("created_at", createdAt);
        view.put("email_verified", emailVerified);
        view.put("email_verified_at", emailVerifiedAt);
        return view;
    }
}
