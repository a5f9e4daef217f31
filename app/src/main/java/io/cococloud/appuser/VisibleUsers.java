package io.cococloud.appuser;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one reader may see of a project's app users, under the project's {@link AppUserReadSettings}: the project
 * itself sees every record in full (never a hash or token); a client sees its own signed-in user in full, and
 * other users only when the project opens them to it, then only their id and public fields.
 */
public final class VisibleUsers {

    private final ReadAccess reader;
    private final AppUserReadSettings settings;

    VisibleUsers(ReadAccess reader, AppUserReadSettings settings) {
        this.reader = reader;
        this.settings = settings;
    }

    public ReadAccess reader() {
        return reader;
    }

    /** Whether the reader may see users other than itself: list them, read their records, populate them. */
    public boolean othersVisible() {
        return reader.wholeProject() || settings.opensTo(reader.user());
    }

    /** Whether the project opens its users to signed-in users, and this reader is not one (yet). */
    boolean openToSignedInUsers() {
        return !reader.wholeProject() && reader.user() == null
                && settings.readableBy() == AppUserReadSettings.ReadableBy.SIGNED_IN;
    }

    /** Whether the reader sees this user's whole record: the project, or the user itself. */
    boolean whole(String userId) {
        return reader.wholeProject() || reader.isSelf(userId);
    }

    /**
     * The record populate puts in place of a reference to {@code user} ({@link AppUser#populatedRecord()}, or for
     * another user its id and public fields); empty when the reader may not see the user, so the reference stays.
     */
    public Optional<Map<String, Object>> populated(AppUser user) {
        if (whole(user.id())) {
            return Optional.of(user.populatedRecord());
        }
        if (!othersVisible()) {
            return Optional.empty();
        }
        Map<String, Object> record = publicData(user);
        record.put("id", user.id());
        record.putAll(publicAccount(user));
        return Optional.of(record);
    }

    /**
     * The client API's view of {@code user} ({@link AppUser#publicView()}, or for another user its id, public data
     * and public account fields); empty when the reader may not see the user.
     */
    Optional<Map<String, Object>> view(AppUser user) {
        if (whole(user.id())) {
            return Optional.of(user.publicView());
        }
        if (!othersVisible()) {
            return Optional.empty();
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", user.id());
        view.putAll(publicAccount(user));
        if (settings.isPublic("email_verified")) {
            view.put("email_verified_at", user.emailVerifiedAt());
        }
        view.put("data", publicData(user));
        return Optional.of(view);
    }

    /**
     * Whether the reader may filter or sort others on {@code field}, an account field or column by name or a data
     * field as {@code data.name}: only on what it could see of them, so that a filter cannot probe a hidden address
     * or a private data field.
     */
    boolean mayFilterOn(String field) {
        if (reader.wholeProject() || field.equals("id")) {
            return true;
        }
        if (field.startsWith("data.")) {
            String name = field.substring(5);
            return settings.isPublic(name) && !AppUserReadSettings.ACCOUNT_FIELDS.contains(name);
        }
        return AppUserReadSettings.ACCOUNT_FIELDS.contains(field) && settings.isPublic(field);
    }

    private Map<String, Object> publicData(AppUser user) {
        Map<String, Object> data = new LinkedHashMap<>();
        user.data().forEach((field, value) -> {
            if (settings.isPublic(field) && !AppUserReadSettings.ACCOUNT_FIELDS.contains(field)) {
                data.put(field, value);
            }
        });
        return data;
    }

    private Map<String, Object> publicAccount(AppUser user) {
        Map<String, Object> account = new LinkedHashMap<>();
        if (settings.isPublic("email")) {
            account.put("email", user.email());
        }
        if (settings.isPublic("roles")) {
            account.put("roles", user.roles());
        }
        if (settings.isPublic("created_at")) {
            account.put("created_at", user.createdAt() == null ? null : user.createdAt().toString());
        }
        if (settings.isPublic("email_verified")) {
            account.put("email_verified", user.emailVerified());
        }
        return account;
    }
}
