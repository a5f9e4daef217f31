package io.cococloud.token;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The token of an {@code Authorization: Bearer <token>} header (RFC 6750): the scheme in any case, then one token,
 * spaces around it ignored. The one place "Bearer " is parsed: the admin API's personal access tokens, the client
 * API's app user sessions and a function's {@code request.user} all read it here.
 */
public final class BearerToken {

    private static final Pattern HEADER = Pattern.compile("(?i)Bearer \\s*(\\S+)\\s*");

    private BearerToken() {}

    /**
     * Whether the header names the Bearer scheme at all (well formed or not): such a request authenticates with a
     * token and must not fall back to another credential.
     */
    public static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** The one token of a Bearer header; empty for no header, another scheme, no token or more than one. */
    public static Optional<String> of(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        var matcher = HEADER.matcher(authorization);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
