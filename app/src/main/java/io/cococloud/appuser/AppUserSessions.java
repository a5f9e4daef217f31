package io.cococloud.appuser;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import io.cococloud.token.OpaqueTokens;

/** Whether a bearer token is a live session of one of a project's app users (require_auth functions). */
@Service
public class AppUserSessions {

    /**
     * How stale {@code app_user_tokens.last_used_at} may get. Writing it on every request would
     * turn each authenticated read into a write; once a minute per token is enough to tell live
     * sessions from forgotten ones.
     */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final JdbcClient jdbc;

    AppUserSessions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean isValid(UUID projectId, String token) {
        byte[] hash = OpaqueTokens.hash(token);
        List<OffsetDateTime> found = jdbc.sql("""
                SELECT t.last_used_at FROM app_user_tokens t
                  JOIN app_users u ON u.project_id = t.project_id AND u.id = t.user_id
                WHERE t.project_id = ? AND t.token_hash = ? AND t.purpose = 'session' AND t.expires_at > ?
                  AND NOT u.disabled""").params(projectId, hash, Timestamp.from(Instant.now()))
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class)).list();
        if (found.isEmpty()) {
            return false;
        }
        OffsetDateTime lastUsed = found.getFirst();
        touch(jdbc, projectId, hash, lastUsed == null ? null : lastUsed.toInstant());
        return true;
    }

    /**
     * Records a session token's use when the stored time is older than {@link #TOUCH_EVERY}: the
     * caller has just read it, so a fresh token costs no write at all. The condition is repeated
     * in SQL so that concurrent requests write it once.
     */
    static void touch(JdbcClient jdbc, UUID projectId, byte[] tokenHash, Instant lastUsedAt) {
        if (lastUsedAt != null && lastUsedAt.isAfter(Instant.now().minus(TOUCH_EVERY))) {
            return;
        }
        jdbc.sql("""
                UPDATE app_user_tokens SET last_used_at = now()
                WHERE project_id = ? AND token_hash = ? AND purpose = 'session'
                  AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')""")
                .params(projectId, tokenHash).update();
    }
}
