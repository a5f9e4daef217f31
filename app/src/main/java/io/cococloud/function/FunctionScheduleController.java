package io.cococloud.function;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import io.cococloud.error.NotFoundException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/** A function's schedules in the admin API (docs/schedules.md): viewers read them and their runs, developers write. */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/functions/{functionRef}/schedules")
class FunctionScheduleController {

    private final FunctionSchedules schedules;
    private final FunctionService functions;
    private final ExecutionLog executions;

    FunctionScheduleController(FunctionSchedules schedules, FunctionService functions, ExecutionLog executions) {
        this.schedules = schedules;
        this.functions = functions;
        this.executions = executions;
    }

    /** Create and update take the same fields; on create only cron is required. */
    record ScheduleRequest(@Size(max = 200) String cron, @Size(max = 64) String timeZone, JsonNode payload,
            Boolean enabled, String missedTicks) {}

    /**
     * @param nextRunAt  the next tick (null when disabled)
     * @param lastRunAt  when the latest run was started; lastStatus that run's status, as it goes
     * @param runs       runs started; failures those that ended in error or timeout
     */
    record ScheduleView(UUID id, UUID functionId, String cron, String timeZone, @JsonRawValue String payload,
            boolean enabled, String missedTicks, Instant nextRunAt, Instant lastRunAt, UUID lastExecutionId,
            String lastStatus, long runs, long failures, Instant createdAt, Instant updatedAt) {
        static ScheduleView of(FunctionScheduleRepository.ScheduleRow s) {
            return new ScheduleView(s.id(), s.functionId(), s.cron(), s.timeZone(), s.payloadJson(), s.enabled(),
                    s.missedTicks(), s.nextRunAt(), s.lastRunAt(), s.lastExecutionId(), s.lastStatus(), s.runs(),
                    s.failures(), s.createdAt(), s.updatedAt());
        }
    }

    /** An execution with the tick it ran for. */
    record RunView(@JsonUnwrapped FunctionAdminController.ExecutionView execution, Instant scheduledFor) {}

    @GetMapping
    List<ScheduleView> list(@ProjectRole(Role.VIEWER) Membership membership, @PathVariable String functionRef) {
        UUID project = membership.projectId();
        return schedules.list(project, function(project, functionRef)).stream().map(ScheduleView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ScheduleView create(@ProjectRole(Role.DEVELOPER) Membership membership, @PathVariable String functionRef,
            @Valid @RequestBody ScheduleRequest body) {
        UUID project = membership.projectId();
        return ScheduleView.of(schedules.create(project, function(project, functionRef), request(body)));
    }

    @GetMapping("/{scheduleId}")
    ScheduleView get(@ProjectRole(Role.VIEWER) Membership membership, @PathVariable String functionRef,
            @PathVariable UUID scheduleId) {
        UUID project = membership.projectId();
        return ScheduleView.of(schedules.get(project, function(project, functionRef), scheduleId));
    }

    @PatchMapping("/{scheduleId}")
    ScheduleView update(@ProjectRole(Role.DEVELOPER) Membership membership, @PathVariable String functionRef,
            @PathVariable UUID scheduleId, @Valid @RequestBody ScheduleRequest body) {
        UUID project = membership.projectId();
        return ScheduleView.of(schedules.update(project, function(project, functionRef), scheduleId, request(body)));
    }

    @DeleteMapping("/{scheduleId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.DEVELOPER) Membership membership, @PathVariable String functionRef,
            @PathVariable UUID scheduleId) {
        UUID project = membership.projectId();
        schedules.delete(project, function(project, functionRef), scheduleId);
    }

    /** The schedule's runs, latest tick first; {@code before} a tick time pages back. */
    @GetMapping("/{scheduleId}/runs")
    List<RunView> runs(@ProjectRole(Role.VIEWER) Membership membership, @PathVariable String functionRef,
            @PathVariable UUID scheduleId, @RequestParam(required = false) String status,
            @RequestParam(required = false) Instant before, @RequestParam(defaultValue = "50") int limit) {
        UUID project = membership.projectId();
        ExecutionParameters.check(status, limit);
        var schedule = schedules.get(project, function(project, functionRef), scheduleId);
        return executions.runsOf(project, schedule.id(), status, before, limit).stream()
                .map(r -> new RunView(FunctionAdminController.ExecutionView.of(r.execution()), r.scheduledFor()))
                .toList();
    }

    private static FunctionSchedules.Request request(ScheduleRequest body) {
        return new FunctionSchedules.Request(body.cron(), body.timeZone(), body.payload(), body.enabled(),
                body.missedTicks());
    }

    /** A function by id or by name, within the project (as the function's own routes take it). */
    private UUID function(UUID projectId, String ref) {
        try {
            return functions.get(projectId, UUID.fromString(ref)).id();
        } catch (IllegalArgumentException notAnId) {
            return functions.list(projectId).stream().filter(f -> f.name().equals(ref)).findFirst()
                    .orElseThrow(() -> NotFoundException.of("Function '" + ref + "'")).id();
        }
    }
}
