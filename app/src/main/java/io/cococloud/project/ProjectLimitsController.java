package io.cococloud.project;

import java.util.UUID;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.web.ApiProblem;

/**
 * A project's share of the Python runtime: its members read it, instance administrators set it. A null value
 * is the server's default ({@code coco.runtime.concurrent-calls-per-project} and {@code queued-calls-per-project}).
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/limits")
class ProjectLimitsController {

    private final ProjectLimits limits;
    private final ProjectAccess access;

    ProjectLimitsController(ProjectLimits limits, ProjectAccess access) {
        this.limits = limits;
        this.access = access;
    }

    record LimitsView(Integer concurrentCalls, Integer queuedCalls) {
        static LimitsView of(CallLimitOverrides limits) {
            return new LimitsView(limits.concurrentCalls(), limits.queuedCalls());
        }
    }

    @GetMapping
    LimitsView get(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId) {
        return LimitsView.of(limits.of(access.requireMemberOrInstanceAdmin(projectId, me, Role.VIEWER).id()));
    }

    @PutMapping
    LimitsView set(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @RequestBody LimitsView body) {
        UUID project = access.requireMemberOrInstanceAdmin(projectId, me, Role.VIEWER).id();
        if (!me.instanceAdmin()) {
            throw ApiProblem.forbidden("Only an instance administrator may change a project's limits");
        }
        CallLimitOverrides wanted = new CallLimitOverrides(body.concurrentCalls(), body.queuedCalls());
        ProjectLimits.invalid(wanted).ifPresent(problem -> {
            throw problem;
        });
        return LimitsView.of(limits.set(project, wanted));
    }
}
