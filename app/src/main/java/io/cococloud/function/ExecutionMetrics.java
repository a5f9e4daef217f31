package io.cococloud.function;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import io.cococloud.project.ProjectDeleted;
import io.cococloud.runtime.FunctionCode;
import io.cococloud.runtime.Outcome;

/**
 * The calls' metrics on /actuator/prometheus: {@code cococloud_function_calls_seconds} (count, sum, max) tagged
 * {@code project} (its id), {@code function} (its name; a site route's file) and {@code outcome} (success, error,
 * timeout, busy), from what the runtime measured; and the async queue, {@code cococloud_async_calls} tagged
 * {@code state} (queued: waiting for a worker, running: claimed by a node), counted in PostgreSQL at scrape time at
 * most every {@code coco.metrics.count-interval}, so the call path never touches a table for metrics. The execution
 * log's own queue: {@code cococloud_executions_log_backlog} (records waiting in memory to be written) and
 * {@code cococloud_executions_log_dropped_total} (records dropped because that queue was full).
 *
 * <p>The tags stay bounded: a project's id and a function's name exist only while the project and the function do,
 * and a deleted project's series go with it ({@link #projectDeleted}); outcomes are four.
 */
@Component
class ExecutionMetrics {

    static final String CALLS = "cococloud.function.calls";
    static final String ASYNC = "cococloud.async.calls";

    private final MeterRegistry registry;
    private final Meter.MeterProvider<Timer> calls;
    /**
     * Each series' timer, found once: looking a timer up by its tags (sorting them, building its id) cost more than
     * recording the call. A deleted project's entries go with its series.
     */
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();
    private final JdbcClient db;
    private final long countIntervalNanos;
    private volatile AsyncCounts async;

    private record Series(UUID projectId, String function, String outcome) {}

    /** The async queue's counts and when they were taken (nanoTime). */
    private record AsyncCounts(double queued, double running, long at) {}

    ExecutionMetrics(MeterRegistry registry, JdbcClient db, ExecutionLog log,
            @Value("${coco.metrics.count-interval:10s}") Duration countInterval) {
        this.registry = registry;
        this.db = db;
        this.countIntervalNanos = countInterval.toNanos();
        this.calls = Timer.builder(CALLS).description("Calls of functions and site routes, by outcome")
                .withRegistry(registry);
        Gauge.builder(ASYNC, this, metrics -> metrics.asyncCounts().queued()).tag("state", "queued")
                .description("Async calls waiting for a worker, all nodes").register(registry);
        Gauge.builder(ASYNC, this, metrics -> metrics.asyncCounts().running()).tag("state", "running")
                .description("Async calls claimed by a node, all nodes").register(registry);
        Gauge.builder("cococloud.executions.log.backlog", log, ExecutionLog::backlog)
                .description("Execution records waiting in memory to be written, this node").register(registry);
        FunctionCounter.builder("cococloud.executions.log.dropped", log, ExecutionLog::dropped)
                .description("Execution records dropped because the in-memory queue was full, this node")
                .register(registry);
    }

    /** One call: in memory only (the registry's own timer), on the call's thread. */
    void record(FunctionCode code, Outcome outcome) {
        timers.computeIfAbsent(new Series(code.projectId(), code.name(), outcome(outcome)), series -> calls.withTags(
                "project", series.projectId().toString(), "function", series.function(), "outcome", series.outcome()))
                .record(outcome.nanos(), TimeUnit.NANOSECONDS);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        timers.keySet().removeIf(series -> series.projectId().equals(event.projectId()));
        registry.find(CALLS).tag("project", event.projectId().toString()).meters().forEach(registry::remove);
    }

    /** The execution log's status of the outcome, with a call refused for capacity told apart. */
    private static String outcome(Outcome outcome) {
        return switch (outcome.kind()) {
            case TIMEOUT -> "timeout";
            case BUSY -> "busy";
            case ENVELOPE, RAW -> outcome.status() < 400 ? "success" : "error";
            default -> "error";
        };
    }

    private AsyncCounts asyncCounts() {
        AsyncCounts counts = async;
        long now = System.nanoTime();
        if (counts != null && now - counts.at() < countIntervalNanos) {
            return counts;
        }
        synchronized (this) {
            counts = async;
            if (counts != null && now - counts.at() < countIntervalNanos) {
                return counts;
            }
            try {
                // instance-wide by nature (the queue of every project); a scrape every few seconds at most
                async = db.sql("""
                        SELECT count(*) FILTER (WHERE NOT picked), count(*) FILTER (WHERE picked)
                        FROM scheduled_tasks WHERE task_name = ?""")
                        .param(AsyncQueueConfiguration.TASK)
                        .query((rs, row) -> new AsyncCounts(rs.getLong(1), rs.getLong(2), now)).single();
            } catch (DataAccessException unreadable) {
                // the last counts stand (NaN before any) until the database answers again
                async = counts != null ? new AsyncCounts(counts.queued(), counts.running(), now)
                        : new AsyncCounts(Double.NaN, Double.NaN, now);
            }
            return async;
        }
    }
}
