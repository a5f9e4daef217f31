package io.cococloud.function;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.error.ConflictException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;

/**
 * A function's schedules (docs/schedules.md): the rows and their ticks in the queue kept in step. Each change is
 * one transaction that writes the row and replaces the schedule's waiting tick (none when disabled), so no node
 * ever runs a tick of a schedule as it was before.
 */
@Service
class FunctionSchedules {

    /** The payload is the body of each run: at most the body of an async call (docs/functions.md#limits). */
    static final int MAX_PAYLOAD_BYTES = AsyncInvocations.MAX_BODY_BYTES;
    static final List<String> MISSED_TICKS = List.of("run_once", "skip");

    private final FunctionScheduleRepository schedules;
    private final TransactionTemplate transactions;
    private final SchedulerClient scheduler;
    private final CustomTask<Instant> tickTask;
    private final JsonMapper json;
    private final int maxPerFunction;

    FunctionSchedules(FunctionScheduleRepository schedules, DataSource dataSource, SchedulerClient asyncSchedulerClient,
            CustomTask<Instant> scheduleTickTask, JsonMapper json,
            @Value("${coco.schedules.max-per-function:20}") int maxPerFunction) {
        this.schedules = schedules;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.scheduler = asyncSchedulerClient;
        this.tickTask = scheduleTickTask;
        this.json = json;
        this.maxPerFunction = maxPerFunction;
    }

    /** A schedule as asked for; null fields: the default (create) or unchanged (update). */
    record Request(String cron, String timeZone, JsonNode payload, Boolean enabled, String missedTicks) {}

    List<FunctionScheduleRepository.ScheduleRow> list(UUID projectId, UUID functionId) {
        return schedules.list(projectId, functionId);
    }

    FunctionScheduleRepository.ScheduleRow get(UUID projectId, UUID functionId, UUID id) {
        return schedules.find(projectId, functionId, id).orElseThrow(() -> NotFoundException.of("Schedule " + id));
    }

    FunctionScheduleRepository.ScheduleRow create(UUID projectId, UUID functionId, Request request) {
        if (request.cron() == null) {
            throw InvalidInputException.atField("cron", "cron is required");
        }
        var settings = settings(request.cron(),
                request.timeZone() == null ? ScheduleTiming.DEFAULT_ZONE : request.timeZone(),
                request.payload() == null ? "{}" : payload(request.payload()),
                request.enabled() == null || request.enabled(),
                request.missedTicks() == null ? "run_once" : request.missedTicks());
        UUID id = FunctionExecutor.timeOrderedId();
        return transactions.execute(status -> {
            if (schedules.countLockingFunction(projectId, functionId) >= maxPerFunction) {
                throw new ConflictException("A function may have at most " + maxPerFunction + " schedules");
            }
            Instant next = settings.enabled() ? nextTick(settings) : null;
            var created = schedules.insert(projectId, functionId, id, settings, next);
            replaceTick(created);
            return created;
        });
    }

    FunctionScheduleRepository.ScheduleRow update(UUID projectId, UUID functionId, UUID id, Request request) {
        return transactions.execute(status -> {
            var current = schedules.lockForTick(projectId, functionId, id)
                    .orElseThrow(() -> NotFoundException.of("Schedule " + id));
            var settings = settings(request.cron() != null ? request.cron() : current.cron(),
                    request.timeZone() != null ? request.timeZone() : current.timeZone(),
                    request.payload() != null ? payload(request.payload()) : current.payloadJson(),
                    request.enabled() != null ? request.enabled() : current.enabled(),
                    request.missedTicks() != null ? request.missedTicks() : current.missedTicks());
            Instant next = settings.enabled() ? nextTick(settings) : null;
            var updated = schedules.update(projectId, functionId, id, settings, next).orElseThrow();
            replaceTick(updated);
            return updated;
        });
    }

    void delete(UUID projectId, UUID functionId, UUID id) {
        if (!schedules.delete(projectId, functionId, id)) {
            throw NotFoundException.of("Schedule " + id);
        }
    }

    /** Drops the schedule's waiting tick and, when it is enabled, queues its next one. */
    private void replaceTick(FunctionScheduleRepository.ScheduleRow schedule) {
        String instance = new ScheduleTicks.TickId(schedule.projectId(), schedule.functionId(), schedule.id())
                .instance();
        schedules.dropTask(instance);
        if (schedule.enabled() && schedule.nextRunAt() != null) {
            scheduler.schedule(tickTask.instance(instance, schedule.nextRunAt()), schedule.nextRunAt());
        }
    }

    private static Instant nextTick(FunctionScheduleRepository.Settings settings) {
        return ScheduleTiming.parse(settings.cron(), settings.timeZone()).next(Instant.now());
    }

    private static FunctionScheduleRepository.Settings settings(String cron, String zone, String payload,
            boolean enabled, String missedTicks) {
        ScheduleTiming.parse(cron, zone); // each a 400 naming its field when wrong
        if (!MISSED_TICKS.contains(missedTicks)) {
            throw InvalidInputException.atField("missed_ticks", "missed_ticks must be one of "
                    + String.join(", ", MISSED_TICKS));
        }
        return new FunctionScheduleRepository.Settings(cron, zone, payload, enabled, missedTicks);
    }

    private String payload(JsonNode payload) {
        if (!payload.isObject()) {
            throw InvalidInputException.atField("payload", "payload must be a JSON object (it is each run's request"
                    + " body, read by request.get and request.json())");
        }
        String text = json.writeValueAsString(payload);
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw InvalidInputException.atField("payload", "payload is larger than " + MAX_PAYLOAD_BYTES
                    + " bytes (128 KB) as JSON");
        }
        return text;
    }
}
