package io.cococloud.function;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How a project's functions have been doing, for the console's function list: calls and failures in the last
 * 24 hours and the latest execution's status. One statement for the whole project, whatever the number of
 * functions: a LATERAL per function that the index {@code executions_by_function (project_id, function_id,
 * created_at DESC)} answers with a short range scan (the last day's rows; the newest row).
 */
@Component
class FunctionStats {

    /**
     * @param calls24h        every recorded execution created in the last 24 hours, any trigger, up to {@link #CAP}
     * @param errors24h       those of them (of the newest {@link #CAP}) whose status is error or timeout
     * @param lastStatus      the newest execution's status (success, error, timeout, queued, running), or null
     * @param lastExecutionAt when the newest execution was created, or null
     */
    record Stats(@JsonProperty("calls_24h") long calls24h, @JsonProperty("errors_24h") long errors24h,
            String lastStatus, Instant lastExecutionAt) {
        static final Stats NONE = new Stats(0, 0, null, null);
    }

    /**
     * The most calls a list counts per function: a busy function's day is millions of rows, and every open list
     * asks again. At the cap the console says "10,000+", and errors are those of the newest 10,000 calls.
     */
    static final int CAP = 10_000;

    static final String SQL = """
            SELECT f.id, day.calls, day.errors, latest.status, latest.created_at
            FROM functions f
            CROSS JOIN LATERAL (
                SELECT count(*) AS calls, count(*) FILTER (WHERE recent.status IN ('error', 'timeout')) AS errors
                FROM (SELECT e.status FROM executions e
                      WHERE e.project_id = f.project_id AND e.function_id = f.id
                        AND e.created_at >= now() - interval '24 hours'
                      ORDER BY e.created_at DESC
                      LIMIT %d) recent) day
            LEFT JOIN LATERAL (
                SELECT e.status, e.created_at
                FROM executions e
                WHERE e.project_id = f.project_id AND e.function_id = f.id
                ORDER BY e.created_at DESC
                LIMIT 1) latest ON true
            WHERE f.project_id = ?""".formatted(CAP);

    private final JdbcClient db;

    FunctionStats(JdbcClient db) {
        this.db = db;
    }

    /** Every function of the project by id (functions without executions have {@link Stats#NONE}'s values). */
    Map<UUID, Stats> ofProject(UUID projectId) {
        Map<UUID, Stats> stats = new HashMap<>();
        db.sql(SQL).param(projectId)
                .query((RowCallbackHandler) rs -> stats.put(rs.getObject(1, UUID.class), stats(rs)));
        return stats;
    }

    Stats of(UUID projectId, UUID functionId) {
        return db.sql(SQL + " AND f.id = ?").params(projectId, functionId).query((rs, row) -> stats(rs)).optional()
                .orElse(Stats.NONE);
    }

    private static Stats stats(ResultSet rs) throws SQLException {
        Timestamp last = rs.getTimestamp(5);
        return new Stats(rs.getLong(2), rs.getLong(3), rs.getString(4), last == null ? null : last.toInstant());
    }
}
