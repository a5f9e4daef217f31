package io.cococloud.appuser;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import io.cococloud.token.OpaqueTokens;

/** Whether a bearer token is a live session of one of a project's app users (require_auth functions). */
@Service
public class AppUserSessions {

    private final JdbcTemplate jdbc;

    AppUserSessions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public boolean isValid(UUID projectId, String token) {
        Integer found = jdbc.queryForObject("""
                SELECT count(*) FROM app_user_tokens t JOIN app_users u ON u.project_id = t.project_id AND u.id = t.user_id
                WHERE t.project_id = ? AND t.token_hash = ? AND t.purpose = 'session' AND t.expires_at > ?
                  AND NOT u.disabled""", Integer.class, projectId, OpaqueTokens.hash(token),
                Timestamp.from(Instant.now()));
        return found != null && found > 0;
    }
}
