package io.cococloud.appuser;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.error.ConflictException;
import io.cococloud.error.DomainException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.UnauthenticatedException;
import io.cococloud.jdbc.Timestamps;
import io.cococloud.query.SqlCondition;
import io.cococloud.ratelimit.LoginAttempts;
import io.cococloud.token.DecoyPasswordHash;
import io.cococloud.token.OpaqueTokens;

/**
 * A project's app users (the CocoBase {@code auth-collections}): sign-up, login, sessions and
 * profile changes. Every statement is scoped by project; session tokens are opaque random values
 * stored only as SHA-256 hashes, passwords only as BCrypt hashes.
 */
@Service
public class AppUserService {

    static final int MIN_PASSWORD_LENGTH = 8;
    /** BCrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused. */
    static final int MAX_PASSWORD_BYTES = 72;
    static final int MAX_DATA_BYTES = 64 * 1024;
    static final Duration SESSION_LIFETIME = Duration.ofDays(30);
    static final String TOKEN_PREFIX = "coco_at_";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    static final String COLUMNS = "u.id, u.email, u.data::text AS data, u.roles, u.email_verified_at,"
            + " u.created_at";
    private static final String EMAIL_SHAPE = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final PasswordEncoder passwords;
    private final AppUserLoginThrottle throttle;
    private final ApplicationEventPublisher events;
    /** Compared against when the email is unknown, so both cases take the same time. */
    private final DecoyPasswordHash decoy;

    AppUserService(JdbcClient jdbc, JsonMapper json, PasswordEncoder passwords, AppUserLoginThrottle throttle,
            ApplicationEventPublisher events, DecoyPasswordHash decoy) {
        this.events = events;
        this.jdbc = jdbc;
        this.json = json;
        this.passwords = passwords;
        this.throttle = throttle;
        this.decoy = decoy;
    }

    /** A signed-in user and the session token that proves it. */
    record Session(String accessToken, AppUser user) {}

    /**
     * The user behind a live session token of this project, if the user is enabled. Marks the
     * token used at most once a minute (see {@link AppUserSessions#touch}).
     */
    public Optional<AppUser> findBySessionToken(UUID projectId, String token) {
        if (projectId == null || token == null || token.isBlank()) {
            return Optional.empty();
        }
        byte[] hash = OpaqueTokens.hash(token);
        List<SessionRow> found = jdbc.sql("SELECT " + COLUMNS + ", t.last_used_at AS token_used_at" + """
                 FROM app_user_tokens t JOIN app_users u ON u.project_id = t.project_id AND u.id = t.user_id
                WHERE t.project_id = ? AND t.token_hash = ? AND t.purpose = 'session' AND t.expires_at > now()
                  AND u.project_id = ? AND NOT u.disabled""").params(projectId, hash, projectId)
                .query((rs, n) -> new SessionRow(user(rs, n), instant(rs, "token_used_at"))).list();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AppUserSessions.touch(jdbc, projectId, hash, found.getFirst().lastUsedAt());
        return Optional.of(found.getFirst().user());
    }

    private record SessionRow(AppUser user, Instant lastUsedAt) {}

    @Transactional
    Session signUp(UUID projectId, String email, String password, Map<String, Object> data, List<String> roles) {
        AppUser user = create(projectId, email, password, data, roles);
        return new Session(newSession(projectId, user.id()), user);
    }

    /** A new user of the project (db.create_app_user; sign-up adds a session). 409/400 problems on bad input. */
    @Transactional
    public AppUser create(UUID projectId, String email, String password, Map<String, Object> data,
            List<String> roles) {
        String cleanEmail = checkEmail(email);
        checkPasswordPolicy(password);
        String dataJson = dataJson(data);
        if (emailTaken(projectId, cleanEmail, null)) {
            throw duplicate(cleanEmail);
        }
        String id = UUID.randomUUID().toString();
        try {
            jdbc.sql("""
                    INSERT INTO app_users (project_id, id, email, password_hash, data, roles)
                    VALUES (?, ?, ?, ?, ?::jsonb, ?)""")
                    .params(projectId, id, cleanEmail, passwords.encode(password), dataJson,
                            roles == null ? new String[0] : roles.toArray(String[]::new))
                    .update();
        } catch (DuplicateKeyException e) {
            throw duplicate(cleanEmail);
        }
        AppUser created = get(projectId, id);
        changed(AppUserChanged.Type.CREATE, projectId, created, null);
        return created;
    }

    /** Tells of a change in its transaction (after-hooks record it there). */
    private void changed(AppUserChanged.Type type, UUID projectId, AppUser user, AppUser before) {
        events.publishEvent(new AppUserChanged(type, projectId, user.id(), user.publicView(),
                before == null ? null : before.publicView(), Instant.now()));
    }

    /** db.get_app_user / find_user(id=...). */
    public Optional<AppUser> find(UUID projectId, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_users u WHERE u.project_id = ? AND u.id = ?")
                .params(projectId, id).query(this::user).list().stream().findFirst();
    }

    /**
     * Several users by id (populate); unknown ids are left out, and disabled users unless {@code withDisabled} (the
     * project itself sees them; its clients do not, as in the users list).
     */
    public List<AppUser> findAll(UUID projectId, java.util.Collection<String> ids, boolean withDisabled) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_users u WHERE u.project_id = ? AND u.id = ANY (?)"
                + (withDisabled ? "" : " AND NOT u.disabled")).params(projectId, ids.toArray(String[]::new))
                .query(this::user).list();
    }

    /** db.find_user(email=...), case-insensitively. */
    public Optional<AppUser> findByEmail(UUID projectId, String email) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_users u WHERE u.project_id = ? AND lower(u.email) = lower(?)")
                .params(projectId, email.strip()).query(this::user).list().stream().findFirst();
    }

    /** db.update_app_user: data shallow-merged, roles replaced, email changed; empty when absent. */
    @Transactional
    public Optional<AppUser> updateAsProject(UUID projectId, String id, Map<String, Object> data, List<String> roles,
            String email) {
        Optional<AppUser> before = find(projectId, id);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        if (roles != null) {
            jdbc.sql("UPDATE app_users SET roles = ?, updated_at = now() WHERE project_id = ? AND id = ?")
                    .params(roles.toArray(String[]::new), projectId, id).update();
        }
        return Optional.of(update(projectId, id, null, email, null, data, before.get()));
    }

    /**
     * db.query_users: users matching a condition over the alias {@code d} (columns id, created_at,
     * updated_at, data: the documents table's names, so the document filter language applies),
     * optionally having a role. The condition comes compiled, with bound parameters only.
     */
    public List<AppUser> query(UUID projectId, SqlCondition condition, String role, String email,
            int limit, int offset) {
        List<Object> all = new java.util.ArrayList<>(List.of(projectId));
        all.addAll(condition.params());
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS.replace("u.", "d.")
                + " FROM app_users d WHERE d.project_id = ? AND (" + condition.sql() + ")");
        if (role != null) {
            sql.append(" AND ? = ANY (d.roles)");
            all.add(role);
        }
        if (email != null) {
            sql.append(" AND lower(d.email) = lower(?)");
            all.add(email);
        }
        sql.append(" ORDER BY d.created_at DESC, d.id LIMIT ? OFFSET ?");
        all.add(limit);
        all.add(offset);
        return jdbc.sql(sql.toString()).params(all.toArray()).query(this::user).list();
    }

    /**
     * Checks a signed-in user's current password before a change of email or password: 400 without one, 401 when
     * wrong. Counted like a login, so a stolen session cannot guess it either.
     */
    void confirmPassword(UUID projectId, AppUser user, String currentPassword, String clientAddress) {
        if (currentPassword == null || currentPassword.isEmpty()) {
            throw new InvalidInputException("current_password is required to change the email or password")
                    .with("field", "current_password");
        }
        try (LoginAttempts.Attempt attempt = throttle.begin(projectId, user.email(), clientAddress)) {
            String hash = jdbc.sql("SELECT password_hash FROM app_users WHERE project_id = ? AND id = ?")
                    .params(projectId, user.id())
                    .query((rs, n) -> rs.getString(1)).list().stream().findFirst().orElse(null);
            if (!passwords.matches(currentPassword, hash == null ? decoy.get() : hash) || hash == null) {
                throw new UnauthenticatedException("current_password is wrong"); // the attempt counts as failed
            }
            attempt.succeeded();
        }
    }

    /**
     * Checks the password, throttled per account and client address; 401 or 429 on failure. Not one transaction:
     * the throttle writes a failure in a transaction of its own, which must not wait for a second connection while
     * this one holds the first (parallel logins would drain the pool); the success's two writes need no atomicity.
     */
    Session logIn(UUID projectId, String email, String password, String clientAddress) {
        Credentials user;
        try (LoginAttempts.Attempt attempt = throttle.begin(projectId, email, clientAddress)) {
            List<Credentials> found = jdbc.sql("""
                    SELECT id, password_hash, disabled FROM app_users WHERE project_id = ? AND lower(email) = lower(?)""")
                    .params(projectId, email.strip())
                    .query((rs, n) -> new Credentials(rs.getString("id"), rs.getString("password_hash"),
                            rs.getBoolean("disabled"))).list();
            user = found.isEmpty() ? null : found.getFirst();
            String hash = user == null || user.passwordHash() == null ? decoy.get() : user.passwordHash();
            boolean matches = passwords.matches(password, hash);
            if (user == null || user.passwordHash() == null || !matches || user.disabled()) {
                throw new UnauthenticatedException("Wrong email or password"); // the attempt counts as failed
            }
            attempt.succeeded();
        }
        jdbc.sql("DELETE FROM app_user_tokens WHERE project_id = ? AND user_id = ? AND expires_at <= now()")
                .params(projectId, user.id()).update();
        AppUser signedIn = get(projectId, user.id());
        changed(AppUserChanged.Type.LOGIN, projectId, signedIn, null);
        return new Session(newSession(projectId, user.id()), signedIn);
    }

    /**
     * Changes the caller's email, password and/or data (shallow-merged). A new password voids
     * every other session of the user (all of them when {@code currentToken} is null: an admin's
     * or a reset link's change) and every outstanding reset link; the one making the change
     * stays signed in. A new address is unverified again, and links sent to the old one die.
     */
    @Transactional
    AppUser update(UUID projectId, String userId, String currentToken, String email, String password,
            Map<String, Object> data) {
        return update(projectId, userId, currentToken, email, password, data, get(projectId, userId));
    }

    /** {@code before}: the user as the caller found them, before any of its own changes. */
    private AppUser update(UUID projectId, String userId, String currentToken, String email, String password,
            Map<String, Object> data, AppUser before) {
        if (password != null) {
            checkPasswordPolicy(password); // before any write, so a weak password changes nothing
        }
        if (email != null) {
            String cleanEmail = checkEmail(email);
            if (emailTaken(projectId, cleanEmail, userId)) {
                throw duplicate(cleanEmail);
            }
            int moved;
            try {
                // the same address in other case keeps its verification; a new one must be verified anew
                moved = jdbc.sql("""
                        UPDATE app_users SET email = ?, updated_at = now(), email_verified_at = NULL
                        WHERE project_id = ? AND id = ? AND lower(email) <> lower(?)""")
                        .params(cleanEmail, projectId, userId, cleanEmail).update();
                if (moved == 0) {
                    jdbc.sql("UPDATE app_users SET email = ?, updated_at = now() WHERE project_id = ? AND id = ?")
                            .params(cleanEmail, projectId, userId).update();
                }
            } catch (DuplicateKeyException e) {
                throw duplicate(cleanEmail);
            }
            if (moved > 0) {
                jdbc.sql("""
                        DELETE FROM app_user_tokens WHERE project_id = ? AND user_id = ?
                          AND purpose IN ('verify_email', 'reset_password')""").params(projectId, userId).update();
            }
        }
        if (data != null) {
            jdbc.sql("UPDATE app_users SET data = data || ?::jsonb, updated_at = now() WHERE project_id = ? AND id = ?")
                    .params(dataJson(data), projectId, userId).update();
        }
        if (password != null) {
            jdbc.sql("""
                    UPDATE app_users SET password_hash = ?, token_generation = token_generation + 1, updated_at = now()
                    WHERE project_id = ? AND id = ?""").params(passwords.encode(password), projectId, userId).update();
            jdbc.sql("""
                    DELETE FROM app_user_tokens WHERE project_id = ? AND user_id = ?
                      AND (purpose = 'reset_password' OR (purpose = 'session' AND token_hash <> ?))""")
                    .params(projectId, userId, currentToken == null ? new byte[0] : OpaqueTokens.hash(currentToken))
                    .update();
        }
        AppUser updated = get(projectId, userId);
        changed(AppUserChanged.Type.UPDATE, projectId, updated, before);
        return updated;
    }

    /**
     * The admin API's change of a user: email, password (ends all sessions), data (merged),
     * roles (replaced) and disabled (disabling ends all sessions). Empty when the user is absent.
     */
    @Transactional
    Optional<AppUser> updateAsAdmin(UUID projectId, String id, String email, String password,
            Map<String, Object> data, List<String> roles, Boolean disabled) {
        Optional<AppUser> before = find(projectId, id);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        if (roles != null) {
            jdbc.sql("UPDATE app_users SET roles = ?, updated_at = now() WHERE project_id = ? AND id = ?")
                    .params(roles.toArray(String[]::new), projectId, id).update();
        }
        if (disabled != null) {
            jdbc.sql("""
                    UPDATE app_users SET disabled = ?, updated_at = now() WHERE project_id = ? AND id = ?
                      AND disabled <> ?""").params(disabled, projectId, id, disabled).update();
            if (disabled) {
                // a disabled user's sessions would be refused anyway; deleting them means that
                // enabling the user again does not bring old, possibly stolen, tokens back to life
                jdbc.sql("DELETE FROM app_user_tokens WHERE project_id = ? AND user_id = ?")
                        .params(projectId, id).update();
            }
        }
        return Optional.of(update(projectId, id, null, email, password, data, before.get()));
    }

    /** Deletes a user; their tokens go with them (foreign key cascade). False when absent. */
    @Transactional
    boolean delete(UUID projectId, String id) {
        Optional<AppUser> before = find(projectId, id);
        boolean deleted = jdbc.sql("DELETE FROM app_users WHERE project_id = ? AND id = ?").params(projectId, id)
                .update() > 0;
        if (deleted && before.isPresent()) {
            changed(AppUserChanged.Type.DELETE, projectId, before.get(), before.get());
        }
        return deleted;
    }

    /** Ends one session: the token stops working at once. */
    @Transactional
    void logOut(UUID projectId, String token) {
        jdbc.sql("DELETE FROM app_user_tokens WHERE project_id = ? AND token_hash = ? AND purpose = 'session'")
                .params(projectId, OpaqueTokens.hash(token)).update();
    }

    static void checkPasswordPolicy(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidInputException("password must be at least " + MIN_PASSWORD_LENGTH + " characters")
                    .with("field", "password");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new InvalidInputException("password must be at most " + MAX_PASSWORD_BYTES + " bytes")
                    .with("field", "password");
        }
    }

    /** The address, stripped; 400 naming it when it does not look like one. */
    static String checkEmail(String email) {
        if (email == null || !email.strip().matches(EMAIL_SHAPE)) {
            throw new InvalidInputException("email '" + email + "' is not a valid address").with("field", "email");
        }
        return email.strip();
    }

    private String newSession(UUID projectId, String userId) {
        String token = OpaqueTokens.generate(TOKEN_PREFIX);
        jdbc.sql("""
                INSERT INTO app_user_tokens (project_id, token_hash, user_id, purpose, expires_at)
                VALUES (?, ?, ?, 'session', now() + make_interval(secs => ?))""")
                .params(projectId, OpaqueTokens.hash(token), userId, (double) SESSION_LIFETIME.toSeconds()).update();
        return token;
    }

    private AppUser get(UUID projectId, String userId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_users u WHERE u.project_id = ? AND u.id = ?")
                .params(projectId, userId).query(this::user).list().stream().findFirst()
                .orElseThrow(() -> new UnauthenticatedException("Your account no longer exists"));
    }

    private boolean emailTaken(UUID projectId, String email, String exceptUserId) {
        Integer count = jdbc.sql("""
                SELECT count(*) FROM app_users WHERE project_id = ? AND lower(email) = lower(?) AND id <> ?""")
                .params(projectId, email, exceptUserId == null ? "" : exceptUserId).query(Integer.class).single();
        return count != null && count > 0;
    }

    private static DomainException duplicate(String email) {
        return new ConflictException("A user with email " + email + " already exists").with("field", "email");
    }

    private String dataJson(Map<String, Object> data) {
        String text = json.writeValueAsString(data == null ? Map.of() : data);
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
            throw new InvalidInputException("data must be at most " + MAX_DATA_BYTES / 1024 + " KB of JSON")
                    .with("field", "data");
        }
        return text;
    }

    /** Maps a row of {@link #COLUMNS} (alias {@code u} or {@code d}). */
    AppUser user(ResultSet rs, int row) throws SQLException {
        Instant verifiedAt = instant(rs, "email_verified_at");
        String[] roles = (String[]) rs.getArray("roles").getArray();
        return new AppUser(rs.getString("id"), rs.getString("email"), json.readValue(rs.getString("data"), MAP),
                Arrays.asList(roles), verifiedAt != null, verifiedAt, instant(rs, "created_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Timestamps.instant(rs.getTimestamp(column));
    }

    private record Credentials(String id, String passwordHash, boolean disabled) {}
}
