package io.cococloud.function;

import static io.cococloud.jdbc.Timestamps.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The rows of function_schedules (V19); every statement names the project. */
@Repository
class FunctionScheduleRepository {

    /** One schedule as stored; the last four fields are kept up to date by its ticks and runs. */
    record ScheduleRow(UUID projectId, UUID id, UUID functionId, String cron, String timeZone, String payloadJson,
            boolean enabled, String missedTicks, Instant nextRunAt, Instant lastRunAt, UUID lastExecutionId,
            String lastStatus, long runs, long failures, Instant createdAt, Instant updatedAt) {

        ScheduleTiming timing() {
            return ScheduleTiming.parse(cron, timeZone);
        }
    }

    /** What a schedule is set to: every field given (an update merges the request into the stored row first). */
    record Settings(String cron, String timeZone, String payloadJson, boolean enabled, String missedTicks) {}

    private static final String COLUMNS = "project_id, id, function_id, cron, time_zone, payload, enabled,"
            + " missed_ticks, next_run_at, last_run_at, last_execution_id, last_status, runs, failures, created_at,"
            + " updated_at";

    private final JdbcClient db;

    FunctionScheduleRepository(JdbcClient db) {
        this.db = db;
    }

    List<ScheduleRow> list(UUID projectId, UUID functionId) {
        return db.sql("SELECT " + COLUMNS + " FROM function_schedules WHERE project_id = ? AND function_id = ?"
                        + " ORDER BY created_at, id")
                .params(projectId, functionId).query(FunctionScheduleRepository::row).list();
    }

    Optional<ScheduleRow> find(UUID projectId, UUID functionId, UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM function_schedules WHERE project_id = ? AND function_id = ?"
                        + " AND id = ?")
                .params(projectId, functionId, id).query(FunctionScheduleRepository::row).optional();
    }

    /** The schedule of a tick, locked until the tick's transaction ends: an update or delete waits for it. */
    Optional<ScheduleRow> lockForTick(UUID projectId, UUID functionId, UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM function_schedules WHERE project_id = ? AND function_id = ?"
                        + " AND id = ? FOR UPDATE")
                .params(projectId, functionId, id).query(FunctionScheduleRepository::row).optional();
    }

    /**
     * The function's schedules, counted while its row is locked until the transaction ends: two schedules added
     * at once are counted one after the other, so the bound holds. (NO KEY UPDATE: calls and the function's own
     * updates go on meanwhile.)
     */
    int countLockingFunction(UUID projectId, UUID functionId) {
        db.sql("SELECT 1 FROM functions WHERE project_id = ? AND id = ? FOR NO KEY UPDATE")
                .params(projectId, functionId).query(Integer.class).optional();
        return db.sql("SELECT count(*) FROM function_schedules WHERE project_id = ? AND function_id = ?")
                .params(projectId, functionId).query(Integer.class).single();
    }

    ScheduleRow insert(UUID projectId, UUID functionId, UUID id, Settings settings, Instant nextRunAt) {
        return db.sql("INSERT INTO function_schedules (project_id, id, function_id, cron, time_zone, payload, enabled,"
                        + " missed_ticks, next_run_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) RETURNING " + COLUMNS)
                .params(projectId, id, functionId, settings.cron(), settings.timeZone(), settings.payloadJson(),
                        settings.enabled(), settings.missedTicks(), timestamp(nextRunAt))
                .query(FunctionScheduleRepository::row).single();
    }

    Optional<ScheduleRow> update(UUID projectId, UUID functionId, UUID id, Settings settings, Instant nextRunAt) {
        return db.sql("UPDATE function_schedules SET cron = ?, time_zone = ?, payload = ?::jsonb, enabled = ?,"
                        + " missed_ticks = ?, next_run_at = ?, updated_at = now()"
                        + " WHERE project_id = ? AND function_id = ? AND id = ? RETURNING " + COLUMNS)
                .params(settings.cron(), settings.timeZone(), settings.payloadJson(), settings.enabled(),
                        settings.missedTicks(), timestamp(nextRunAt), projectId, functionId, id)
                .query(FunctionScheduleRepository::row).optional();
    }

    /** V19's trigger drops the schedule's task with it. */
    boolean delete(UUID projectId, UUID functionId, UUID id) {
        return db.sql("DELETE FROM function_schedules WHERE project_id = ? AND function_id = ? AND id = ?")
                .params(projectId, functionId, id).update() > 0;
    }

    /** A tick ran (run != null: it stored that run) and the next one is due at {@code next}. */
    void ticked(UUID projectId, UUID id, UUID run, Instant ranAt, Instant next) {
        db.sql("""
                UPDATE function_schedules SET next_run_at = ?,
                    last_run_at = CASE WHEN ?::uuid IS NULL THEN last_run_at ELSE ? END,
                    last_execution_id = coalesce(?::uuid, last_execution_id),
                    last_status = CASE WHEN ?::uuid IS NULL THEN last_status ELSE 'queued' END,
                    runs = runs + CASE WHEN ?::uuid IS NULL THEN 0 ELSE 1 END
                WHERE project_id = ? AND id = ?""")
                .params(timestamp(next), run, timestamp(ranAt), run, run, run, projectId, id).update();
    }

    /**
     * Drops the schedule's waiting tick, if any (a running tick then finds its task changed when it ends, and
     * leaves the new one alone).
     */
    void dropTask(String instance) {
        db.sql("DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?")
                .params(ScheduleTicks.TASK, instance).update();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static ScheduleRow row(ResultSet rs, int row) throws SQLException {
        return new ScheduleRow(rs.getObject("project_id", UUID.class), rs.getObject("id", UUID.class),
                rs.getObject("function_id", UUID.class), rs.getString("cron"), rs.getString("time_zone"),
                rs.getString("payload"), rs.getBoolean("enabled"), rs.getString("missed_ticks"),
                instant(rs.getTimestamp("next_run_at")), instant(rs.getTimestamp("last_run_at")),
                rs.getObject("last_execution_id", UUID.class), rs.getString("last_status"), rs.getLong("runs"),
                rs.getLong("failures"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
