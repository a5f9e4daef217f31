package io.cococloud.appuser;

import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores each project's {@link AppUserReadSettings} in its row of {@code projects} (V7). Read on every client
 * call that lists users or populates them: one indexed primary-key read, never cached, so that closing the users
 * again takes effect on the next request on every node.
 */
@Service
class AppUserSettings {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AppUserSettings(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The project's settings; closed when the project has none (or no longer exists). */
    AppUserReadSettings get(UUID projectId) {
        return jdbc.sql("SELECT app_user_settings::text FROM projects WHERE id = ?").params(projectId)
                .query((rs, row) -> json.readValue(rs.getString(1), MAP)).list().stream().findFirst()
                .filter(stored -> !stored.isEmpty()).map(AppUserReadSettings::parse)
                .orElse(AppUserReadSettings.CLOSED);
    }

    /** Replaces the project's settings with {@code given}, checked first (400 naming the field). */
    AppUserReadSettings replace(UUID projectId, Object given) {
        AppUserReadSettings settings = AppUserReadSettings.parse(given);
        jdbc.sql("UPDATE projects SET app_user_settings = ?::jsonb, updated_at = now() WHERE id = ?")
                .params(json.writeValueAsString(settings.view()), projectId).update();
        return settings;
    }
}
