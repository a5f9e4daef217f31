package io.cococloud.secret;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.error.ConflictException;
import io.cococloud.project.ProjectDeleted;

/**
 * A project's variables: plain configuration text that its functions see in {@code os.environ} and
 * {@code function.variables}. Functions read them on every call, so a node keeps each project's
 * variables in memory (loaded on first use) with a version number: the Python side re-reads the map
 * only when the version moved. A write drops the cached copy on every node ({@link VariablesChanged}); a copy
 * older than {@code coco.cluster.max-staleness} is read again anyway, in case a notification was missed (and is
 * still served while the database is away).
 */
@Service
public class VariableService {

    private final JdbcClient db;
    private final SecretProperties settings;
    /** Projects whose variables are kept in memory; past this, the least used are read again. */
    static final long MAX_PROJECTS = 50_000;

    private final ApplicationEventPublisher events;
    private final ClusterProperties cluster;
    private final Cache<UUID, Snapshot> cache;
    private final AtomicLong versions = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();

    VariableService(JdbcClient db, SecretProperties settings, ApplicationEventPublisher events,
            ClusterProperties cluster) {
        this.db = db;
        this.settings = settings;
        this.events = events;
        this.cluster = cluster;
        this.cache = Caffeine.newBuilder().maximumSize(MAX_PROJECTS).build();
    }

    record Variable(String name, String value, Instant createdAt, Instant updatedAt) {}

    record Saved(boolean created, Variable variable) {}

    /** A project's variables as of one read; {@code version} changes whenever the values do. */
    public record Snapshot(long version, Map<String, String> values, long loadedAt) {}

    List<Variable> list(UUID projectId) {
        return db.sql("SELECT name, value, created_at, updated_at FROM variables WHERE project_id = ? ORDER BY name")
                .param(projectId).query(VariableService::variable).list();
    }

    Saved put(UUID projectId, String name, String value) {
        Names.requireValid(name, "variable");
        Names.requireValue(value, "variable", settings.maxVariableBytes());
        try {
            boolean created = false;
            int updated = db.sql("UPDATE variables SET value = ?, updated_at = now() WHERE project_id = ? AND name = ?")
                    .params(value, projectId, name).update();
            if (updated == 0) {
                int inserted = db.sql("""
                        INSERT INTO variables (project_id, name, value)
                        SELECT ?, ?, ? WHERE (SELECT count(*) FROM variables WHERE project_id = ?) < ?
                        ON CONFLICT (project_id, name) DO UPDATE SET value = excluded.value, updated_at = now()""")
                        .params(projectId, name, value, projectId, settings.maxPerProject()).update();
                if (inserted == 0) {
                    throw new ConflictException("The project has " + settings.maxPerProject()
                            + " variables, the most it may have; delete one first");
                }
                created = true;
            }
            return new Saved(created, find(projectId, name).orElseThrow());
        } finally {
            changed(projectId);
        }
    }

    boolean delete(UUID projectId, String name) {
        Names.requireValid(name, "variable");
        try {
            return db.sql("DELETE FROM variables WHERE project_id = ? AND name = ?").params(projectId, name)
                    .update() == 1;
        } finally {
            changed(projectId);
        }
    }

    /**
     * The project's variables for its functions: from memory, read from the database on first use,
     * after a write on any node, or when the cached copy is older than {@code coco.cluster.max-staleness}.
     */
    public Snapshot snapshot(UUID projectId) {
        Snapshot cached = cache.getIfPresent(projectId);
        if (cached != null && System.nanoTime() - cached.loadedAt() < cluster.maxStaleness().toNanos()) {
            return cached;
        }
        long writesBefore = writes.get();
        Map<String, String> values = new LinkedHashMap<>();
        try {
            db.sql("SELECT name, value FROM variables WHERE project_id = ? ORDER BY name").param(projectId)
                    .query((RowCallbackHandler) rs -> values.put(rs.getString(1), rs.getString(2)));
        } catch (DataAccessException e) {
            if (cached != null) {
                return cached; // the database is away: the last values read beat failing every call
            }
            throw e;
        }
        // Same values as before: keep the version, so the Python side need not copy them again.
        long version = cached != null && cached.values().equals(values) ? cached.version() : versions.incrementAndGet();
        Snapshot fresh = new Snapshot(version, Collections.unmodifiableMap(values), System.nanoTime());
        cache.put(projectId, fresh);
        if (writes.get() != writesBefore) {
            cache.invalidate(projectId); // a write raced this read: do not keep what may be stale
        }
        return fresh;
    }

    private Optional<Variable> find(UUID projectId, String name) {
        return db.sql("SELECT name, value, created_at, updated_at FROM variables WHERE project_id = ? AND name = ?")
                .params(projectId, name).query(VariableService::variable).optional();
    }

    /** Forgotten here at once and on every node (here again after the commit, when there is a transaction). */
    private void changed(UUID projectId) {
        invalidate(projectId);
        events.publishEvent(new VariablesChanged(projectId));
    }

    private void invalidate(UUID projectId) {
        writes.incrementAndGet();
        cache.invalidate(projectId);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void variablesChanged(VariablesChanged event) {
        invalidate(event.projectId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        invalidate(event.projectId());
    }

    /**
     * Notifications may have been missed: every copy is read again on its next use. Marked stale rather than
     * dropped, so that they can still be served while the database is away.
     */
    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        writes.incrementAndGet();
        cache.asMap().replaceAll((projectId, snapshot) -> new Snapshot(snapshot.version(), snapshot.values(),
                System.nanoTime() - cluster.maxStaleness().toNanos()));
    }

    private static Variable variable(ResultSet rs, int row) throws SQLException {
        return new Variable(rs.getString("name"), rs.getString("value"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
