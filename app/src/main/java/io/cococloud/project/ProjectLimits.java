package io.cococloud.project;

import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.error.InvalidInputException;

/**
 * Each project's share of the Python runtime where it differs from the server's defaults. Only instance
 * administrators change it: a project's own admins could otherwise take the whole server for themselves.
 */
@Service
public class ProjectLimits {

    static final int MAX_CONCURRENT_CALLS = 256;
    static final int MAX_QUEUED_CALLS = 10_000;

    private final JdbcClient db;
    private final ApplicationEventPublisher events;

    ProjectLimits(JdbcClient db, ApplicationEventPublisher events) {
        this.db = db;
        this.events = events;
    }

    /** Read when a project's runtime starts, not per call. */
    public CallLimitOverrides of(UUID projectId) {
        return db.sql("SELECT concurrent_calls, queued_calls FROM project_limits WHERE project_id = ?")
                .params(projectId)
                .query((rs, row) -> new CallLimitOverrides((Integer) rs.getObject("concurrent_calls"),
                        (Integer) rs.getObject("queued_calls")))
                .optional().orElse(CallLimitOverrides.NONE);
    }

    /** Stores the overrides; a refusal naming the first value out of range. */
    @Transactional
    CallLimitOverrides set(UUID projectId, CallLimitOverrides limits) {
        requireValid(limits);
        db.sql("""
                INSERT INTO project_limits (project_id, concurrent_calls, queued_calls) VALUES (?, ?, ?)
                ON CONFLICT (project_id) DO UPDATE
                SET concurrent_calls = excluded.concurrent_calls, queued_calls = excluded.queued_calls,
                    updated_at = now()""")
                .params(projectId, limits.concurrentCalls(), limits.queuedCalls())
                .update();
        events.publishEvent(new ProjectLimitsChanged(projectId));
        return limits;
    }

    private static void requireValid(CallLimitOverrides limits) {
        if (limits.concurrentCalls() != null
                && (limits.concurrentCalls() < 1 || limits.concurrentCalls() > MAX_CONCURRENT_CALLS)) {
            throw InvalidInputException.atField("concurrent_calls",
                    "concurrent_calls must be between 1 and " + MAX_CONCURRENT_CALLS);
        }
        if (limits.queuedCalls() != null && (limits.queuedCalls() < 0 || limits.queuedCalls() > MAX_QUEUED_CALLS)) {
            throw InvalidInputException.atField("queued_calls",
                    "queued_calls must be between 0 and " + MAX_QUEUED_CALLS);
        }
    }
}
