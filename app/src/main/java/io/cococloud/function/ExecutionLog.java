package io.cococloud.function;

import static io.cococloud.jdbc.Timestamps.instant;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The record of every call: queued in memory by the request and written to PostgreSQL in
 * batches (COPY) by a background task, never on the response path (but for a console test run's, see
 * {@link #record}). When the queue is full (the database is down or far behind) records are dropped and counted
 * rather than slowing calls.
 */
@Component
class ExecutionLog {

    private static final Logger log = LoggerFactory.getLogger(ExecutionLog.class);
    private static final int BATCH = 500;

    private final JdbcClient db;
    /** COPY needs the driver's connection, which JdbcClient does not lend. */
    private final DataSource dataSource;
    private final Duration retention;
    private final BlockingQueue<Execution> queue = new ArrayBlockingQueue<>(20_000);
    private final AtomicLong dropped = new AtomicLong();

    ExecutionLog(JdbcClient db, DataSource dataSource,
            @Value("${coco.executions.retention:7d}") Duration retention) {
        this.db = db;
        this.dataSource = dataSource;
        this.retention = retention;
    }

    /**
     * One record. The fields after {@code createdAt} are filled when read back: an async call's attempts so far,
     * when it runs next, each finished attempt, and the HTTP answer its last attempt gave (JSON text).
     */
    record Execution(UUID projectId, UUID id, UUID functionId, Integer version, String trigger, String status,
            Integer httpStatus, String output, String logs, String error, String traceback, Double durationMs,
            Instant createdAt, int attempts, Instant nextAttemptAt, String attemptHistoryJson, String resultJson,
            Instant startedAt, Instant finishedAt) {

        /** A synchronous call's record, as it is written. */
        Execution(UUID projectId, UUID id, UUID functionId, Integer version, String trigger, String status,
                Integer httpStatus, String output, String logs, String error, String traceback, Double durationMs,
                Instant createdAt) {
            this(projectId, id, functionId, version, trigger, status, httpStatus, output, logs, error, traceback,
                    durationMs, createdAt, 1, null, null, null, createdAt,
                    durationMs == null ? null : createdAt.plusNanos((long) (durationMs * 1e6)));
        }
    }

    /**
     * Queues a call's record for the next batch; a console test run's record is written before this returns. The
     * test's answer links to its record and the console opens the link at once, perhaps on another node, sooner than
     * the next batch. Test runs are a developer's clicks, so calls from the public still never wait for a write.
     */
    void record(Execution execution) {
        if (execution.trigger().equals("test") && writtenNow(execution)) {
            return;
        }
        if (!queue.offer(execution)) {
            long total = dropped.incrementAndGet();
            if (total % 1000 == 1) {
                log.warn("Execution log is full; {} records dropped so far", total);
            }
        }
    }

    /** False when the database would not take it: then it waits in the queue like any other record. */
    private boolean writtenNow(Execution execution) {
        try {
            copy(List.of(execution));
            return true;
        } catch (RuntimeException ex) {
            log.warn("Could not write a test run's execution record at once, queued it: {}", ex.getMessage());
            return false;
        }
    }

    /** Records waiting in memory for the next batch (ExecutionMetrics). */
    int backlog() {
        return queue.size();
    }

    /** Records dropped since start because the queue was full (ExecutionMetrics). */
    long dropped() {
        return dropped.get();
    }

    @Scheduled(fixedDelayString = "${coco.executions.flush-interval:200ms}")
    void flush() {
        List<Execution> batch = new ArrayList<>(BATCH);
        while (queue.drainTo(batch, BATCH) > 0) {
            try {
                copy(batch);
            } catch (RuntimeException ex) {
                log.warn("Could not write {} execution records: {}", batch.size(), ex.getMessage());
            }
            batch.clear();
        }
    }

    /** COPY rather than INSERT: several times less work for PostgreSQL per record. */
    private void copy(List<Execution> batch) {
        StringBuilder csv = new StringBuilder(batch.size() * 200);
        for (Execution e : batch) {
            Instant finished = e.createdAt().plusNanos((long) (e.durationMs() * 1e6));
            csv.append(e.projectId()).append(',').append(e.id()).append(',').append(e.functionId()).append(',')
                    .append(e.version() == null ? "" : e.version()).append(',').append(e.trigger()).append(',')
                    .append(e.status()).append(',').append(e.httpStatus() == null ? "" : e.httpStatus()).append(',');
            quoted(csv, e.output()).append(',');
            quoted(csv, e.logs()).append(',');
            quoted(csv, e.error()).append(',');
            quoted(csv, e.traceback()).append(',');
            csv.append(e.durationMs()).append(',').append(e.createdAt()).append(',').append(e.createdAt())
                    .append(',').append(finished).append('\n');
        }
        String copy = """
                COPY executions (project_id, id, function_id, version, trigger, status, http_status, output,
                    logs, error, traceback, duration_ms, created_at, started_at, finished_at)
                FROM STDIN (FORMAT csv)""";
        // The rows in one write, as bytes: copyIn(sql, Reader) allocates a 128 KB buffer per batch and encodes the
        // text again (~8 % of what the server allocated per call under load).
        byte[] rows = csv.toString().getBytes(StandardCharsets.UTF_8);
        var connection = DataSourceUtils.getConnection(dataSource);
        try {
            CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
            try {
                in.writeToCopy(rows, 0, rows.length);
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        } catch (SQLException ex) {
            DataAccessException translated = new SQLExceptionSubclassTranslator()
                    .translate("COPY of execution records", copy, ex);
            throw translated != null ? translated : new UncategorizedSQLException("COPY of execution records", copy, ex);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** A CSV field: NULL is an empty unquoted field, text is quoted (so "" is an empty string). */
    private static StringBuilder quoted(StringBuilder csv, String text) {
        if (text == null) {
            return csv;
        }
        // PostgreSQL text cannot hold NUL characters, which Python output may contain.
        return csv.append('"').append(text.replace("\"", "\"\"").replace('\0', '\uFFFD')).append('"');
    }

    @Scheduled(fixedDelayString = "${coco.executions.prune-interval:1h}")
    void prune() {
        int removed = db.sql("DELETE FROM executions WHERE created_at < ?")
                .param(Timestamp.from(Instant.now().minus(retention))).update();
        if (removed > 0) {
            log.info("Pruned {} execution records older than {}", removed, retention);
        }
    }

    @PreDestroy
    void flushOnShutdown() {
        flush();
    }

    /** The values of the executions table's {@code trigger} and {@code status} columns (V1's CHECKs). */
    static final List<String> TRIGGERS = List.of("http", "async", "test", "route", "schedule", "hook");
    static final List<String> STATUSES = List.of("success", "error", "timeout", "queued", "running");

    /**
     * What to list, newest first; every part but the limit is optional (null).
     *
     * @param functionId a function's (or a site route's) id
     * @param since      created at or after
     * @param before     created strictly before: the next page after a page whose oldest row was created then
     */
    record Filter(UUID functionId, String status, String trigger, Instant since, Instant before, int limit) {}

    List<Execution> list(UUID projectId, UUID functionId, String status, Instant since, int limit) {
        return list(projectId, new Filter(functionId, status, null, since, null, limit));
    }

    /**
     * The project's executions. With a function, the index executions_by_function serves it; across the project,
     * executions_by_project (V17): either way a range of one project's rows in time order, stopped at the limit.
     */
    List<Execution> list(UUID projectId, Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM executions WHERE project_id = ?");
        List<Object> params = new ArrayList<>(List.of(projectId));
        if (filter.functionId() != null) {
            sql.append(" AND function_id = ?");
            params.add(filter.functionId());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            params.add(filter.status());
        }
        if (filter.trigger() != null) {
            sql.append(" AND trigger = ?");
            params.add(filter.trigger());
        }
        if (filter.since() != null) {
            sql.append(" AND created_at >= ?");
            params.add(Timestamp.from(filter.since()));
        }
        if (filter.before() != null) {
            sql.append(" AND created_at < ?");
            params.add(Timestamp.from(filter.before()));
        }
        sql.append(" ORDER BY created_at DESC LIMIT ?");
        params.add(filter.limit());
        return db.sql(sql.toString()).params(params).query(ExecutionLog::execution).list();
    }

    /** A run of a schedule, and the tick it belongs to. */
    record ScheduledRun(Execution execution, Instant scheduledFor) {}

    /**
     * A schedule's runs, latest tick first (V19's index executions_one_per_tick).
     *
     * @param before ticks strictly before this one (the next page), or null
     */
    List<ScheduledRun> runsOf(UUID projectId, UUID scheduleId, String status, Instant before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", scheduled_for FROM executions"
                + " WHERE project_id = ? AND schedule_id = ?");
        List<Object> params = new ArrayList<>(List.of(projectId, scheduleId));
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status);
        }
        if (before != null) {
            sql.append(" AND scheduled_for < ?");
            params.add(Timestamp.from(before));
        }
        sql.append(" ORDER BY scheduled_for DESC LIMIT ?");
        params.add(limit);
        return db.sql(sql.toString()).params(params).query((rs, row) -> new ScheduledRun(execution(rs, row),
                rs.getTimestamp("scheduled_for").toInstant())).list();
    }

    Optional<Execution> find(UUID projectId, UUID functionId, UUID executionId) {
        return db.sql("SELECT " + COLUMNS + " FROM executions WHERE project_id = ? AND function_id = ? AND id = ?")
                .params(projectId, functionId, executionId).query(ExecutionLog::execution).optional();
    }

    private static final String COLUMNS = "project_id, id, function_id, version, trigger, status, http_status, output,"
            + " logs, error, traceback, duration_ms, created_at, attempts, next_attempt_at, attempt_history, result,"
            + " started_at, finished_at";

    private static Execution execution(ResultSet rs, int row) throws SQLException {
        return new Execution(rs.getObject("project_id", UUID.class), rs.getObject("id", UUID.class),
                rs.getObject("function_id", UUID.class), (Integer) rs.getObject("version"), rs.getString("trigger"),
                rs.getString("status"), (Integer) rs.getObject("http_status"), rs.getString("output"),
                rs.getString("logs"), rs.getString("error"), rs.getString("traceback"),
                (Double) rs.getObject("duration_ms"), rs.getTimestamp("created_at").toInstant(), rs.getInt("attempts"),
                instant(rs.getTimestamp("next_attempt_at")), rs.getString("attempt_history"), rs.getString("result"),
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")));
    }
}
