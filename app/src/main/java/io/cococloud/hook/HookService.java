package io.cococloud.hook;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.cluster.CoherentCache;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.function.FunctionEvents;
import io.cococloud.project.ProjectDeleted;

/**
 * A project's hooks: kept in PostgreSQL, cached per project on every node so that a write asks memory, not a table,
 * whether anything watches it; a change is seen by every node ({@link HooksChanged}).
 */
@Service
class HookService {

    static final Set<String> AFTER_EVENTS = Set.of("documents.create", "documents.update", "documents.delete",
            "users.create", "users.login", "users.update", "users.delete");
    static final Set<String> BEFORE_EVENTS = Set.of("documents.create", "documents.update", "documents.delete");
    static final int MAX_HOOKS = 100;
    /** Projects whose hooks are kept in memory; past this, the least used are read again. */
    static final long MAX_PROJECTS = 50_000;

    private final JdbcClient db;
    private final ApplicationEventPublisher events;
    private final FunctionEvents functions;
    private final CoherentCache<UUID, List<Hook>> cache;

    HookService(JdbcClient db, ApplicationEventPublisher events, FunctionEvents functions,
            ClusterProperties cluster) {
        this.db = db;
        this.events = events;
        this.functions = functions;
        this.cache = new CoherentCache<>(cluster, MAX_PROJECTS);
    }

    /** The project's hooks, from memory when this node has read them. */
    List<Hook> of(UUID projectId) {
        return cache.get(projectId, project -> db.sql("SELECT id, function_id, collection, timing, events,"
                + " created_at FROM hooks WHERE project_id = ? ORDER BY created_at, id").param(project)
                .query(HookService::hook).list());
    }

    @Transactional
    Hook create(UUID projectId, UUID functionId, String collection, String timing, List<String> events) {
        if (functionId == null || !functions.exists(projectId, functionId)) {
            throw InvalidInputException.atField("function_id", functionId == null
                    ? "function_id is required: the id of one of the project's functions"
                    : "the project has no function " + functionId);
        }
        String when = timing == null ? Hook.AFTER : timing;
        if (!when.equals(Hook.AFTER) && !when.equals(Hook.BEFORE)) {
            throw InvalidInputException.atField("timing", "timing must be \"after\" or \"before\", not \"" + when
                    + "\"");
        }
        Set<String> allowed = when.equals(Hook.BEFORE) ? BEFORE_EVENTS : AFTER_EVENTS;
        if (events == null || events.isEmpty()) {
            throw InvalidInputException.atField("events", "events is required: one or more of "
                    + allowed.stream().sorted().toList());
        }
        Set<String> clean = new LinkedHashSet<>();
        for (String event : events) {
            if (event == null || !allowed.contains(event)) {
                throw InvalidInputException.atField("events", "a " + when + "-hook takes the events "
                        + allowed.stream().sorted().toList() + ", not " + (event == null ? "null" : "\"" + event
                        + "\""));
            }
            clean.add(event);
        }
        String target = collection == null || collection.equals("*") ? null : collection;
        if (target != null && clean.stream().anyMatch(e -> e.startsWith("users."))) {
            throw InvalidInputException.atField("collection", "users.* events belong to no collection: leave"
                    + " collection out (or null) in a hook on them");
        }
        if (target != null && !target.matches("[A-Za-z_][A-Za-z0-9_-]{0,63}")) {
            throw InvalidInputException.atField("collection", "collection '" + target + "' must be 1 to 64"
                    + " letters, digits, _ or -, starting with a letter or _ (or \"*\" or null: every collection)");
        }
        Long count = db.sql("SELECT count(*) FROM hooks WHERE project_id = ?").param(projectId).query(Long.class)
                .single();
        if (count != null && count >= MAX_HOOKS) {
            throw new InvalidInputException("a project has at most " + MAX_HOOKS + " hooks");
        }
        Hook hook = db.sql("""
                INSERT INTO hooks (project_id, id, function_id, collection, timing, events)
                VALUES (?, ?, ?, ?, ?, ?)
                RETURNING id, function_id, collection, timing, events, created_at""")
                .params(projectId, UUID.randomUUID(), functionId, target, when, clean.toArray(String[]::new))
                .query(HookService::hook).single();
        changed(projectId);
        return hook;
    }

    Hook get(UUID projectId, UUID hookId) {
        return of(projectId).stream().filter(h -> h.id().equals(hookId)).findFirst()
                .orElseThrow(() -> new NotFoundException("the project has no hook " + hookId));
    }

    @Transactional
    void delete(UUID projectId, UUID hookId) {
        if (db.sql("DELETE FROM hooks WHERE project_id = ? AND id = ?").params(projectId, hookId).update() == 0) {
            throw new NotFoundException("the project has no hook " + hookId);
        }
        changed(projectId);
    }

    private void changed(UUID projectId) {
        cache.evict(projectId);
        events.publishEvent(new HooksChanged(projectId));
    }

    /** Here after the commit too (a read before it may have cached the old list); at once on other nodes. */
    @TransactionalEventListener(fallbackExecution = true)
    void hooksChanged(HooksChanged event) {
        cache.evict(event.projectId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        cache.evict(event.projectId());
    }

    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        cache.evictAll();
    }

    private static Hook hook(ResultSet rs, int row) throws SQLException {
        Array events = rs.getArray("events");
        return new Hook(rs.getObject("id", UUID.class), rs.getObject("function_id", UUID.class),
                rs.getString("collection"), rs.getString("timing"),
                new ArrayList<>(List.of((String[]) events.getArray())), rs.getTimestamp("created_at").toInstant());
    }
}
