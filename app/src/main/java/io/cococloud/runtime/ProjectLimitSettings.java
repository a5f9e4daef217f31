package io.cococloud.runtime;

import java.util.UUID;
import java.util.function.Function;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.cococloud.project.CallLimitOverrides;
import io.cococloud.project.ProjectLimits;

/** Each project's share: the server's defaults, with what an instance administrator set for the project. */
@Component
class ProjectLimitSettings {

    private final RuntimeProperties defaults;
    private final Function<UUID, CallLimitOverrides> overrides;

    @Autowired
    ProjectLimitSettings(RuntimeProperties defaults, ProjectLimits limits) {
        this(defaults, limits::of);
    }

    ProjectLimitSettings(RuntimeProperties defaults, Function<UUID, CallLimitOverrides> overrides) {
        this.defaults = defaults;
        this.overrides = overrides;
    }

    CallLimits of(UUID projectId) {
        CallLimitOverrides set = overrides.apply(projectId);
        int concurrent = set.concurrentCalls() != null ? set.concurrentCalls() : defaults.concurrentCallsPerProject();
        int queued = set.queuedCalls() != null ? set.queuedCalls() : defaults.queuedCallsPerProject();
        // A project can never hold more than the server runs at once.
        return new CallLimits(Math.min(concurrent, defaults.maxRunningCalls()), queued);
    }
}
