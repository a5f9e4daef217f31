package io.cococloud.mail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import io.cococloud.secret.SecretService;
import io.cococloud.web.ApiProblem;

/**
 * A project's own SMTP server ({@code mail_settings}); without a row the server-wide default of
 * {@link MailProperties} is used. The password is never here: the row names a project secret.
 */
@Service
class MailSettingsStore {

    static final String HOST_PATTERN = "[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?"
            + "|\\[?[0-9A-Fa-f:.]{2,45}]?";
    static final String SECRET_NAME_PATTERN = "[A-Za-z_][A-Za-z0-9_]{0,127}";

    private final JdbcTemplate jdbc;
    private final SecretService secrets;

    private final SmtpHostPolicy hosts;

    MailSettingsStore(JdbcTemplate jdbc, SecretService secrets, MailProperties properties) {
        this.hosts = new SmtpHostPolicy(properties.allowedInternalHosts());
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    record Settings(String host, int port, String security, String username, String passwordSecret,
            String fromAddress, Instant updatedAt) {}

    Optional<Settings> find(UUID projectId) {
        return jdbc.query("SELECT * FROM mail_settings WHERE project_id = ?", MailSettingsStore::settings, projectId)
                .stream().findFirst();
    }

    /** Checks and stores the settings (insert or replace); 400 naming the first bad field. */
    Settings save(UUID projectId, Settings wanted) {
        String host = wanted.host() == null ? "" : wanted.host().strip();
        if (host.isEmpty() || host.length() > 253 || !host.matches(HOST_PATTERN)) {
            throw ApiProblem.badRequest("host must be a host name or IP address, such as smtp.example.com")
                    .with("field", "host");
        }
        hosts.refusal(host).ifPresent(why -> {
            throw ApiProblem.badRequest(why).with("field", "host");
        });
        if (wanted.port() < 1 || wanted.port() > 65535) {
            throw ApiProblem.badRequest("port must be between 1 and 65535").with("field", "port");
        }
        if (wanted.security() == null || !wanted.security().matches("none|starttls|tls")) {
            throw ApiProblem.badRequest("security must be none, starttls or tls").with("field", "security");
        }
        String username = wanted.username() == null || wanted.username().isBlank() ? null : wanted.username();
        if (username != null && (username.length() > 320 || username.chars().anyMatch(c -> c < 0x20))) {
            throw ApiProblem.badRequest("username must be at most 320 characters without control characters")
                    .with("field", "username");
        }
        String secret = wanted.passwordSecret() == null || wanted.passwordSecret().isBlank() ? null
                : wanted.passwordSecret();
        if (secret != null) {
            if (!secret.matches(SECRET_NAME_PATTERN)) {
                throw ApiProblem.badRequest("password_secret must be the name of a project secret (letters, digits"
                        + " and underscores)").with("field", "password_secret");
            }
            if (username == null) {
                throw ApiProblem.badRequest("password_secret needs a username: SMTP logs in with both")
                        .with("field", "password_secret");
            }
            if (!secrets.exists(projectId, secret)) {
                throw ApiProblem.badRequest("password_secret names the secret '" + secret + "', which the project"
                        + " does not have; create it first (PUT /secrets/" + secret + ")").with("field", "password_secret");
            }
        }
        String from;
        try {
            from = MailAddresses.parse("from_address", wanted.fromAddress());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage()).with("field", "from_address");
        }
        return jdbc.query("""
                INSERT INTO mail_settings (project_id, host, port, security, username, password_secret, from_address)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (project_id) DO UPDATE SET host = excluded.host, port = excluded.port,
                    security = excluded.security, username = excluded.username,
                    password_secret = excluded.password_secret, from_address = excluded.from_address, updated_at = now()
                RETURNING *""", MailSettingsStore::settings, projectId, host, wanted.port(), wanted.security(),
                username, secret, from).getFirst();
    }

    /** Back to the server-wide default; false when the project had no settings. */
    boolean delete(UUID projectId) {
        return jdbc.update("DELETE FROM mail_settings WHERE project_id = ?", projectId) > 0;
    }

    private static Settings settings(ResultSet rs, int row) throws SQLException {
        return new Settings(rs.getString("host"), rs.getInt("port"), rs.getString("security"),
                rs.getString("username"), rs.getString("password_secret"), rs.getString("from_address"),
                rs.getTimestamp("updated_at").toInstant());
    }
}
