package io.cococloud.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code login_failures} table: failed logins per key in a window, shared by every app node. One statement per
 * failure (an upsert that starts a new window once the old one has passed); rows whose window passed long ago are
 * pruned now and then by the failures that write.
 *
 * <p>Writes commit on their own, whatever transaction the login runs in: a failed login ends in an exception that
 * rolls the login's transaction back, and must still count. (So a failure holds a second connection for one
 * statement while the login's transaction holds its own.)
 */
@Repository
public class LoginFailures {

    /** Every this many recorded failures, old rows of the scope are deleted. */
    private static final long PRUNE_EVERY = 1000;

    private final JdbcClient db;
    private final TransactionTemplate ownTransaction;
    private final AtomicLong recorded = new AtomicLong();

    LoginFailures(JdbcClient db, PlatformTransactionManager transactions) {
        this.db = db;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** A key's failures in its current window. */
    record Window(int failures, Instant start) {}

    /** The key's window as of {@code now}: empty when it has none or its window has passed. */
    Optional<Window> window(String scope, String key, Duration window, Instant now) {
        return db.sql("SELECT failures, window_start FROM login_failures WHERE scope = ? AND key = ?")
                .params(scope, key)
                .query((rs, row) -> new Window(rs.getInt(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
                .optional()
                .filter(w -> w.start().plus(window).isAfter(now));
    }

    /** Counts one failure against the key (in a new window when its window has passed). */
    void record(String scope, String key, UUID projectId, Duration window, Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime windowGone = OffsetDateTime.ofInstant(now.minus(window), ZoneOffset.UTC);
        ownTransaction.executeWithoutResult(status -> db.sql("""
                INSERT INTO login_failures AS f (scope, key, project_id, failures, window_start) VALUES (?, ?, ?, 1, ?)
                ON CONFLICT (scope, key) DO UPDATE SET
                    failures = CASE WHEN f.window_start <= ? THEN 1 ELSE f.failures + 1 END,
                    window_start = CASE WHEN f.window_start <= ? THEN excluded.window_start ELSE f.window_start END""")
                .params(scope, key, projectId, at, windowGone, windowGone)
                .update());
        if (recorded.incrementAndGet() % PRUNE_EVERY == 0) {
            ownTransaction.executeWithoutResult(status -> db
                    .sql("DELETE FROM login_failures WHERE scope = ? AND window_start <= ?").params(scope, windowGone)
                    .update());
        }
    }

    /** Forgets the key's failures (after a success). */
    void forget(String scope, String key) {
        ownTransaction.executeWithoutResult(status -> db
                .sql("DELETE FROM login_failures WHERE scope = ? AND key = ?").params(scope, key).update());
    }
}
