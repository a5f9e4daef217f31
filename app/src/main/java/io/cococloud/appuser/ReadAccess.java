package io.cococloud.appuser;

/**
 * Who reads a project's data through populate or the users list, which decides what they see (README "What
 * each caller can read"): the project itself (a server key, a function's {@code db}, a console member), or a
 * client holding the project's client key, signed in as {@code user} or anonymous (null).
 *
 * @param wholeProject the project itself: every collection, every user's full record
 * @param user         the signed-in app user of a client, else null
 */
public record ReadAccess(boolean wholeProject, AppUser user) {

    /** A server key, {@code db} in a function, or a member of the project in the console. */
    public static ReadAccess project() {
        return new ReadAccess(true, null);
    }

    /** A client key, with the signed-in app user or null. */
    public static ReadAccess client(AppUser user) {
        return new ReadAccess(false, user);
    }

    /** Whether this reader is the app user {@code userId} itself. */
    public boolean isSelf(String userId) {
        return user != null && user.id().equals(userId);
    }
}
