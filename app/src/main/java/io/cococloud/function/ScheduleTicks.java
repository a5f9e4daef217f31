package io.cococloud.function;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.ExecutionException;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.runtime.Invocation;

/**
 * One tick of a schedule, as db-scheduler hands it to the one node that claimed it (task {@value #TASK}, one
 * instance per schedule, its data the tick's time). The tick stores its run as an async call would be stored
 * (an executions row, trigger {@code schedule}, the payload as a POST body) and queues it for {@link AsyncAttempts},
 * so the run is retried, recorded and held to the project's fairness limits like any async call. Then the
 * instance is moved to the next cron time.
 *
 * <p>Exactly one run per tick: only one node holds the instance at a time, and should a node die after storing the
 * run but before moving the instance on, the node that revives it finds the run there (V19's unique index on
 * schedule and tick). A tick found more than {@code missed-after} late (no node ran while it was due) runs once,
 * or is skipped, as the schedule's {@code missed_ticks} says; either way the next tick is the first one after now,
 * never a burst of the ticks that were missed.
 */
@Component
class ScheduleTicks {

    static final String TASK = "function-schedule";

    private static final Logger log = LoggerFactory.getLogger(ScheduleTicks.class);

    private final FunctionScheduleRepository schedules;
    private final JdbcClient db;
    private final TransactionTemplate transactions;
    private final SchedulerClient scheduler;
    private final CustomTask<Void> asyncTask;
    private final AsyncQueueConfiguration.AsyncQueueRunner queue;
    private final JsonMapper json;
    private final Duration missedAfter;

    ScheduleTicks(FunctionScheduleRepository schedules, JdbcClient db, DataSource dataSource,
            SchedulerClient asyncSchedulerClient, @Qualifier("asyncInvocationTask") CustomTask<Void> asyncTask,
            AsyncQueueConfiguration.AsyncQueueRunner queue, JsonMapper json,
            @Value("${coco.schedules.missed-after:1m}") Duration missedAfter) {
        this.schedules = schedules;
        this.db = db;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.scheduler = asyncSchedulerClient;
        this.asyncTask = asyncTask;
        this.queue = queue;
        this.json = json;
        this.missedAfter = missedAfter;
    }

    /** The task instance of a schedule: its project, function and id, in that order. */
    record TickId(UUID projectId, UUID functionId, UUID scheduleId) {
        static TickId parse(String instance) {
            String[] parts = instance.split("/");
            return new TickId(UUID.fromString(parts[0]), UUID.fromString(parts[1]), UUID.fromString(parts[2]));
        }

        String instance() {
            return projectId + "/" + functionId + "/" + scheduleId;
        }
    }

    /** What a tick did: the run it stored (null: none) and the next tick (null: the schedule is gone or off). */
    private record Outcome(UUID run, Instant next) {}

    /** @param tick the cron time this tick stands for */
    CompletionHandler<Instant> run(String instance, Instant tick) {
        TickId id = TickId.parse(instance);
        Outcome outcome = transactions.execute(status -> tick(id, tick));
        if (outcome.run() != null) {
            queue.wake(); // committed: a free worker of this node may take it at once
        }
        Instant next = outcome.next();
        return (complete, operations) -> {
            try {
                if (next == null) {
                    operations.remove();
                } else {
                    operations.reschedule(complete, next, next);
                }
            } catch (ExecutionException changed) {
                // The schedule was changed or deleted while this tick ran: its task was replaced or dropped then,
                // and that stands.
                log.debug("Schedule {} changed while its tick ran", instance);
            }
        };
    }

    private Outcome tick(TickId id, Instant tick) {
        Optional<FunctionScheduleRepository.ScheduleRow> found = schedules.lockForTick(id.projectId(),
                id.functionId(), id.scheduleId());
        if (found.isEmpty() || !found.get().enabled()) {
            return new Outcome(null, null);
        }
        var schedule = found.get();
        Instant now = Instant.now();
        boolean missed = tick.plus(missedAfter).isBefore(now);
        boolean runs = !missed || !"skip".equals(schedule.missedTicks());
        ScheduleTiming timing = schedule.timing();
        Instant next = timing.next(tick);
        if (next != null && !next.isAfter(now)) {
            next = timing.next(now); // ticks that passed while this one waited are not run one by one
        }
        UUID run = runs ? store(schedule, tick) : null;
        if (missed) {
            log.info("Schedule {} of project {} missed its tick at {}: {}", schedule.id(), schedule.projectId(), tick,
                    runs ? "running it once now" : "skipped");
        }
        schedules.ticked(schedule.projectId(), schedule.id(), run, now, next);
        return new Outcome(run, next);
    }

    /** Stores the tick's run and queues it; null when the tick's run is stored already. */
    private UUID store(FunctionScheduleRepository.ScheduleRow schedule, Instant tick) {
        UUID id = FunctionExecutor.timeOrderedId();
        String request = json.writeValueAsString(request(schedule, tick));
        Optional<UUID> stored = db.sql("""
                INSERT INTO executions (project_id, id, function_id, trigger, status, request, attempts, created_at,
                    schedule_id, scheduled_for)
                VALUES (?, ?, ?, 'schedule', 'queued', ?::jsonb, 0, now(), ?, ?)
                ON CONFLICT (project_id, schedule_id, scheduled_for) WHERE schedule_id IS NOT NULL DO NOTHING
                RETURNING id""")
                .params(schedule.projectId(), id, schedule.functionId(), request, schedule.id(), Timestamp.from(tick))
                .query(UUID.class).optional();
        if (stored.isEmpty()) {
            return null;
        }
        var call = new AsyncAttempts.CallId(schedule.projectId(), schedule.functionId(), id);
        scheduler.schedule(asyncTask.instance(call.instance()), Instant.now());
        return id;
    }

    /**
     * A POST to the function's path "/" with the payload as its JSON body, so {@code request.get} and
     * {@code request.json()} read it; two headers say which schedule and tick it is.
     */
    private static AsyncRequest request(FunctionScheduleRepository.ScheduleRow schedule, Instant tick) {
        byte[] body = schedule.payloadJson().getBytes(StandardCharsets.UTF_8);
        List<List<String>> headers = List.of(List.of("Content-Type", "application/json"),
                List.of("X-Coco-Schedule-Id", schedule.id().toString()),
                List.of("X-Coco-Scheduled-For", tick.toString()));
        return new AsyncRequest("POST", "", "", "/", "", headers, Base64.getEncoder().encodeToString(body), Map.of(),
                null, Invocation.Peer.LOCAL);
    }
}
