package io.cococloud.project;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A member's role in a project; each includes every right of the roles before it. */
public enum Role {
    /** Reads everything except secret values. */
    VIEWER,
    /** Also writes functions, data, templates, static files, variables and email templates. */
    DEVELOPER,
    /** Also secrets, API keys, mail settings and members. */
    ADMIN,
    /** Also deletes the project and grants ownership. */
    OWNER;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    @JsonCreator
    static Role fromJson(String value) {
        for (Role role : values()) {
            if (role.json().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be one of owner, admin, developer, viewer");
    }

    /** The stored form, as {@link #json()} writes it. */
    static Role ofColumn(String value) {
        return Role.valueOf(value.toUpperCase());
    }
}
