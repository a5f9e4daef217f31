package io.cococloud.hook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.data.DocumentEvent;
import io.cococloud.function.FunctionCallFinished;
import io.cococloud.function.FunctionEvents;

/**
 * After-hooks' delivery: each event is an outbox row (hook_events, V20) inserted in the write's transaction, and
 * runs as a queued call of the hook's function (trigger {@code hook}; retried as an async call is). One document's
 * events reach one hook in order: a row is dispatched only when no earlier call for the same hook and document is
 * still queued or running, and the end of a call dispatches the next. Both sides take a transaction-scoped advisory
 * lock on (hook, document), so an event written while the previous call ends is never left waiting; a sweep picks up
 * what a node that died between the two steps left behind.
 */
@Component
class HookOutbox {

    private static final Logger log = LoggerFactory.getLogger(HookOutbox.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** How many waiting documents one sweep looks at. */
    static final int SWEEP_BATCH = 500;
    /**
     * How many of them may be one project's: a project with a large backlog must not fill every sweep and leave
     * another's stranded documents waiting (docs/hooks.md#fairness).
     */
    static final int SWEEP_PER_PROJECT = 50;

    private final JdbcClient db;
    private final FunctionEvents functions;
    private final JsonMapper json;
    private final TransactionTemplate transactions;

    HookOutbox(JdbcClient db, FunctionEvents functions, JsonMapper json, DataSource dataSource) {
        this.db = db;
        this.functions = functions;
        this.json = json;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** The body a hook's function receives (docs/hooks.md). */
    static Map<String, Object> body(DocumentEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_type", Hook.eventName(event.type()));
        body.put("collection", event.collection());
        body.put("document_id", event.documentId());
        body.put("data", event.data());
        body.put("old_data", event.oldData());
        body.put("created_at", event.at().toString());
        return body;
    }

    /** Records the event for the hook; the caller's transaction is the write's. */
    void record(Hook hook, UUID projectId, DocumentEvent event) {
        record(hook, projectId, event.collection() + "/" + event.documentId(), body(event));
    }

    /**
     * Records an event for the hook; {@code key} names what the event is about (collection/document, users/id): the
     * events of one key reach the hook in order.
     */
    void record(Hook hook, UUID projectId, String key, Map<String, Object> body) {
        lock(projectId, hook.id(), key);
        // INSERT ... SELECT: a hook deleted since this node cached it records nothing
        db.sql("""
                INSERT INTO hook_events (project_id, hook_id, document_key, event)
                SELECT project_id, id, ?, ?::jsonb FROM hooks WHERE project_id = ? AND id = ?""")
                .params(key, json.writeValueAsString(body), projectId, hook.id()).update();
        dispatch(projectId, hook.id(), key);
    }

    /** The call of an event ended: its document's next event for that hook may go. */
    @EventListener
    void callFinished(FunctionCallFinished finished) {
        List<Map.Entry<UUID, String>> keys = db.sql("SELECT hook_id, document_key FROM hook_events"
                + " WHERE project_id = ? AND execution_id = ?").params(finished.projectId(), finished.executionId())
                .query((rs, row) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2))).list();
        keys.forEach(key -> advance(finished.projectId(), key.getKey(), key.getValue()));
    }

    /**
     * Documents with waiting events whose turn may have come unnoticed (the node that ran the previous call stopped
     * before it dispatched the next): each is looked at again. Cheap when nothing waits (a partial index).
     */
    @Scheduled(fixedDelayString = "${coco.hooks.sweep-interval:30s}", initialDelayString = "${coco.hooks.sweep-interval:30s}")
    void sweep() {
        try {
            stranded(SWEEP_PER_PROJECT, SWEEP_BATCH).forEach(w -> advance(w.projectId(), w.hookId(), w.key()));
        } catch (RuntimeException e) {
            log.warn("The hook outbox's sweep failed; the next one tries again: {}", e.toString());
        }
    }

    record Waiting(UUID projectId, UUID hookId, String key) {}

    /**
     * Up to {@code limit} (hook, document) pairs with a waiting event and no call queued or running, at most
     * {@code perProject} of any one project: each project's longest-waiting first, and the first of every project
     * before the second of any. A document whose previous call still runs is not stranded (that call's end
     * dispatches the next), so it takes no place from one that is. The projects that have waiting events are found
     * by a skip scan of the partial index (one probe each), then each is read on its own.
     */
    List<Waiting> stranded(int perProject, int limit) {
        return db.sql("""
                WITH RECURSIVE projects AS (
                    (SELECT project_id FROM hook_events WHERE execution_id IS NULL ORDER BY project_id LIMIT 1)
                    UNION ALL
                    SELECT (SELECT e.project_id FROM hook_events e WHERE e.execution_id IS NULL
                            AND e.project_id > p.project_id ORDER BY e.project_id LIMIT 1)
                    FROM projects p WHERE p.project_id IS NOT NULL
                ), ranked AS (
                    SELECT p.project_id, d.hook_id, d.document_key, d.oldest,
                           row_number() OVER (PARTITION BY p.project_id ORDER BY d.oldest) AS turn
                    FROM projects p CROSS JOIN LATERAL (
                        SELECT e.hook_id, e.document_key, min(e.id) AS oldest FROM hook_events e
                        WHERE e.project_id = p.project_id AND e.execution_id IS NULL
                          AND NOT EXISTS (SELECT 1 FROM hook_events b JOIN executions x
                                ON x.project_id = b.project_id AND x.id = b.execution_id
                                WHERE b.project_id = e.project_id AND b.hook_id = e.hook_id
                                  AND b.document_key = e.document_key AND x.status IN ('queued', 'running'))
                        GROUP BY e.hook_id, e.document_key ORDER BY oldest LIMIT ?) d
                    WHERE p.project_id IS NOT NULL
                )
                SELECT project_id, hook_id, document_key FROM ranked ORDER BY turn, oldest LIMIT ?""")
                .params(perProject, limit)
                .query((rs, row) -> new Waiting(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3)))
                .list();
    }

    private void advance(UUID projectId, UUID hookId, String key) {
        transactions.executeWithoutResult(status -> {
            lock(projectId, hookId, key);
            dispatch(projectId, hookId, key);
        });
    }

    /**
     * Starts the call of the document's oldest waiting event when none of its earlier ones is queued or running.
     * The caller holds the (hook, document) lock in its transaction.
     */
    private void dispatch(UUID projectId, UUID hookId, String key) {
        Boolean busy = db.sql("""
                SELECT EXISTS (SELECT 1 FROM hook_events e JOIN executions x
                    ON x.project_id = e.project_id AND x.id = e.execution_id
                    WHERE e.project_id = ? AND e.hook_id = ? AND e.document_key = ? AND x.status IN ('queued', 'running'))""")
                .params(projectId, hookId, key).query(Boolean.class).single();
        if (Boolean.TRUE.equals(busy)) {
            return;
        }
        // the calls that ended are recorded as executions; their outbox rows have served
        db.sql("DELETE FROM hook_events WHERE project_id = ? AND hook_id = ? AND document_key = ?"
                + " AND execution_id IS NOT NULL").params(projectId, hookId, key).update();
        record Next(long id, UUID functionId, String event) {}
        db.sql("""
                SELECT e.id, h.function_id, e.event FROM hook_events e
                JOIN hooks h ON h.project_id = e.project_id AND h.id = e.hook_id
                WHERE e.project_id = ? AND e.hook_id = ? AND e.document_key = ? AND e.execution_id IS NULL
                ORDER BY e.id LIMIT 1""")
                .params(projectId, hookId, key)
                .query((rs, row) -> new Next(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3)))
                .optional().ifPresent(next -> {
                    UUID execution = functions.enqueue(projectId, next.functionId(), json.readValue(next.event(), MAP));
                    db.sql("UPDATE hook_events SET execution_id = ? WHERE project_id = ? AND id = ?")
                            .params(execution, projectId, next.id()).update();
                });
    }

    private void lock(UUID projectId, UUID hookId, String key) {
        db.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))").param(projectId + "/" + hookId + "/" + key)
                .query((rs, row) -> 1).list();
    }
}
