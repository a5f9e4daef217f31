package io.cococloud.appuser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cococloud.error.InvalidInputException;

/**
 * A project's choice of who, besides a server key, may read other app users through the client API, and which
 * of their fields such readers see. Each signed-in user always reads their own full record; the project itself
 * (server key, {@code db}, console) always reads every record in full.
 *
 * <p>As JSON: {@code {"readable_by": "none" | "signed_in" | "anyone", "public_fields": ["name", "avatar"]}}.
 * {@code none} (the default) keeps the users private: listing them and reading another's record needs a server
 * key. {@code signed_in} opens them to any signed-in user of the project, {@code anyone} also to a bare client
 * key. Opened, another user shows only its {@code id} and the public fields: top-level names in its
 * {@code data}, or the account fields {@code email}, {@code roles}, {@code created_at} and
 * {@code email_verified}, which are never shown unless named.
 */
record AppUserReadSettings(ReadableBy readableBy, List<String> publicFields) {

    static final AppUserReadSettings CLOSED = new AppUserReadSettings(ReadableBy.NONE, List.of());
    static final Set<String> ACCOUNT_FIELDS = Set.of("email", "roles", "created_at", "email_verified");
    static final int MAX_PUBLIC_FIELDS = 64;

    private static final Set<String> KEYS = Set.of("readable_by", "public_fields");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    AppUserReadSettings {
        publicFields = List.copyOf(publicFields);
    }

    /** Who besides the project itself may read other users. */
    enum ReadableBy {
        NONE, SIGNED_IN, ANYONE;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        static ReadableBy of(Object given) {
            return Arrays.stream(values()).filter(value -> value.json().equals(given)).findFirst()
                    .orElseThrow(() -> new InvalidInputException("readable_by must be one of none, signed_in, anyone;"
                            + " not " + describe(given)));
        }
    }

    /**
     * The settings of a request body or a stored value, checked: 400 naming the field for an unknown key, a
     * readable_by that is not one of its values, or public_fields that are not a list of distinct top-level field
     * names. A missing key takes its default (none, no public fields).
     */
    static AppUserReadSettings parse(Object given) {
        if (!(given instanceof Map<?, ?> map)) {
            throw new InvalidInputException("the settings must be an object such as {\"readable_by\": \"signed_in\","
                    + " \"public_fields\": [\"name\"]}");
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new InvalidInputException("Unknown field '" + key + "'; the settings are readable_by and"
                        + " public_fields");
            }
        }
        ReadableBy readableBy = map.get("readable_by") == null ? ReadableBy.NONE : ReadableBy.of(map.get("readable_by"));
        return new AppUserReadSettings(readableBy, publicFields(map.get("public_fields")));
    }

    private static List<String> publicFields(Object given) {
        if (given == null) {
            return List.of();
        }
        if (!(given instanceof List<?> list)) {
            throw new InvalidInputException("public_fields must be a list of field names such as"
                    + " [\"name\", \"avatar\"],"
                    + " not " + describe(given));
        }
        if (list.size() > MAX_PUBLIC_FIELDS) {
            throw new InvalidInputException("public_fields may name at most " + MAX_PUBLIC_FIELDS + " fields, not "
                    + list.size());
        }
        Set<String> fields = new LinkedHashSet<>();
        for (Object field : list) {
            if (!(field instanceof String name) || !FIELD.matcher(name).matches()) {
                throw new InvalidInputException("public_fields: " + describe(field) + " is not a top-level field name"
                        + " (letters, digits and _, starting with a letter or _)");
            }
            if (name.equals("id")) {
                throw new InvalidInputException("public_fields: id is always shown; leave it out");
            }
            if (!fields.add(name)) {
                throw new InvalidInputException("public_fields names " + name + " twice");
            }
        }
        return new ArrayList<>(fields);
    }

    /** Whether a client signed in as {@code user} (null: none) may read other users at all. */
    boolean opensTo(AppUser user) {
        return readableBy == ReadableBy.ANYONE || readableBy == ReadableBy.SIGNED_IN && user != null;
    }

    boolean isPublic(String field) {
        return publicFields.contains(field);
    }

    /** The JSON form, as stored and as the admin API shows it (named explicitly: it is also the stored form). */
    record View(@JsonProperty("readable_by") String readableBy,
            @JsonProperty("public_fields") List<String> publicFields) {}

    View view() {
        return new View(readableBy.json(), publicFields);
    }

    private static String describe(Object value) {
        return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }
}
