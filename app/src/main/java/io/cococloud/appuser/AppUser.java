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

    /**
     * The record populate puts in place of a reference (docs/client-api.md): {@code {**data, id, email, created_at,
     * roles}}, flat so that {@code post.author.name} reads the user's {@code data.name}; never a hash or token.
     */
    public Map<String, Object> populatedRecord() {
        Map<String, Object> record = new LinkedHashMap<>(data);
        record.put("id", id);
        record.put("email", email);
        record.put("created_at", createdAt == null ? null : createdAt.toString());
        record.put("roles", roles);
        return record;
    }
}
