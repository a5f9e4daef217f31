package io.cococloud.project;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.error.ForbiddenException;

/**
 * A project's share of the Python runtime: its members read it, instance administrators set it. A null value
 * is the server's default ({@code coco.runtime.concurrent-calls-per-project} and {@code queued-calls-per-project}).
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/limits")
class ProjectLimitsController {

    private final ProjectLimits limits;

    ProjectLimitsController(ProjectLimits limits) {
        this.limits = limits;
    }

    record LimitsView(Integer concurrentCalls, Integer queuedCalls) {
        static LimitsView of(CallLimitOverrides limits) {
            return new LimitsView(limits.concurrentCalls(), limits.queuedCalls());
        }
    }

    @GetMapping
    LimitsView get(@ProjectRole(value = Role.VIEWER, orInstanceAdmin = true) Membership project) {
        return LimitsView.of(limits.of(project.projectId()));
    }

    @PutMapping
    LimitsView set(@ProjectRole(value = Role.VIEWER, orInstanceAdmin = true) Membership project,
            @AuthenticationPrincipal AdminPrincipal me, @RequestBody LimitsView body) {
        if (!me.instanceAdmin()) {
            throw new ForbiddenException("Only an instance administrator may change a project's limits");
        }
        return LimitsView.of(limits.set(project.projectId(),
                new CallLimitOverrides(body.concurrentCalls(), body.queuedCalls())));
    }
}
