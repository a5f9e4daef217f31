package io.cococloud.mail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import io.cococloud.error.InvalidInputException;
import io.cococloud.secret.SecretService;

/**
 * A project's own SMTP server ({@code mail_settings}); without a row the server-wide default of
 * {@link MailProperties} is used. The password is never here: the row names a project secret.
 */
@Service
class MailSettingsStore {

    static final String HOST_PATTERN = "[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?"
            + "|\\[?[0-9A-Fa-f:.]{2,45}]?";
    static final String SECRET_NAME_PATTERN = "[A-Za-z_][A-Za-z0-9_]{0,127}";

    private final JdbcClient db;
    private final SecretService secrets;

    private final SmtpHostPolicy hosts;

    MailSettingsStore(JdbcClient db, SecretService secrets, MailProperties properties) {
        this.hosts = new SmtpHostPolicy(properties.allowedInternalHosts());
        this.db = db;
        this.secrets = secrets;
    }

    record Settings(String host, int port, String security, String username, String passwordSecret,
            String fromAddress, Instant updatedAt) {}

    Optional<Settings> find(UUID projectId) {
        return db.sql("SELECT * FROM mail_settings WHERE project_id = ?").params(projectId)
                .query(MailSettingsStore::settings).optional();
    }

    /** Checks and stores the settings (insert or replace); a refusal naming the first bad field. */
    Settings save(UUID projectId, Settings wanted) {
        String host = wanted.host() == null ? "" : wanted.host().strip();
        if (host.isEmpty() || host.length() > 253 || !host.matches(HOST_PATTERN)) {
            throw InvalidInputException.atField("host",
                    "host must be a host name or IP address, such as smtp.example.com");
        }
        hosts.refusal(host).ifPresent(why -> {
            throw InvalidInputException.atField("host", why);
        });
        if (wanted.port() < 1 || wanted.port() > 65535) {
            throw InvalidInputException.atField("port", "port must be between 1 and 65535");
        }
        if (wanted.security() == null || !wanted.security().matches("none|starttls|tls")) {
            throw InvalidInputException.atField("security", "security must be none, starttls or tls");
        }
        String username = wanted.username() == null || wanted.username().isBlank() ? null : wanted.username();
        if (username != null && (username.length() > 320 || username.chars().anyMatch(c -> c < 0x20))) {
            throw InvalidInputException.atField("username",
                    "username must be at most 320 characters without control characters");
        }
        String secret = wanted.passwordSecret() == null || wanted.passwordSecret().isBlank() ? null
                : wanted.passwordSecret();
        if (secret != null) {
            if (!secret.matches(SECRET_NAME_PATTERN)) {
                throw InvalidInputException.atField("password_secret", "password_secret must be the name of a project"
                        + " secret (letters, digits and underscores)");
            }
            if (username == null) {
                throw InvalidInputException.atField("password_secret",
                        "password_secret needs a username: SMTP logs in with both");
            }
            if (!secrets.exists(projectId, secret)) {
                throw InvalidInputException.atField("password_secret", "password_secret names the secret '" + secret
                        + "', which the project does not have; create it first (PUT /secrets/" + secret + ")");
            }
        }
        String from;
        try {
            from = MailAddresses.parse("from_address", wanted.fromAddress());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.atField("from_address", e.getMessage());
        }
        return db.sql("""
                INSERT INTO mail_settings (project_id, host, port, security, username, password_secret, from_address)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (project_id) DO UPDATE SET host = excluded.host, port = excluded.port,
                    security = excluded.security, username = excluded.username,
                    password_secret = excluded.password_secret, from_address = excluded.from_address, updated_at = now()
                RETURNING *""").params(projectId, host, wanted.port(), wanted.security(), username, secret, from)
                .query(MailSettingsStore::settings).single();
    }

    /** Back to the server-wide default; false when the project had no settings. */
    boolean delete(UUID projectId) {
        return db.sql("DELETE FROM mail_settings WHERE project_id = ?").params(projectId).update() > 0;
    }

    private static Settings settings(ResultSet rs, int row) throws SQLException {
        return new Settings(rs.getString("host"), rs.getInt("port"), rs.getString("security"),
                rs.getString("username"), rs.getString("password_secret"), rs.getString("from_address"),
                rs.getTimestamp("updated_at").toInstant());
    }
}
