package io.cococloud.runtime;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The runtime's pools on /actuator/prometheus, per project (tag {@code project}, its id):
 * {@code cococloud_runtime_contexts} (warm Python contexts, idle or running a call),
 * {@code cococloud_runtime_calls_running} (calls holding one of the project's slots) and
 * {@code cococloud_runtime_calls_queued} (calls waiting in the project's queue for a slot).
 *
 * <p>Each series reads the pool's own counter when scraped; which projects have a series is looked at every
 * {@code coco.metrics.pools-interval}, so a project gets its series within that time of its first call here and
 * loses them when its pool goes (the project was deleted). The tag is bounded by the projects with a pool on this
 * node; nothing of this touches the call path.
 */
@Component
class RuntimeMetrics {

    private final PythonRuntime runtime;
    private final List<PoolGauge> gauges;

    /** One per-project series family and what it reads from a pool. */
    private record PoolGauge(MultiGauge gauge, ToIntFunction<ProjectPool> value) {}

    RuntimeMetrics(PythonRuntime runtime, MeterRegistry registry) {
        this.runtime = runtime;
        this.gauges = List.of(
                new PoolGauge(MultiGauge.builder("cococloud.runtime.contexts")
                        .description("Warm Python contexts of the project, idle or running a call")
                        .register(registry), ProjectPool::liveContexts),
                new PoolGauge(MultiGauge.builder("cococloud.runtime.calls.running")
                        .description("Calls of the project holding one of its slots").register(registry),
                        ProjectPool::runningCalls),
                new PoolGauge(MultiGauge.builder("cococloud.runtime.calls.queued")
                        .description("Calls of the project waiting in its queue for a slot").register(registry),
                        ProjectPool::waitingCalls));
        refresh();
    }

    /** The series follow the pools there are: one per project with a pool, none for a pool that went. */
    @Scheduled(fixedDelayString = "${coco.metrics.pools-interval:5s}")
    void refresh() {
        Map<UUID, ProjectPool> pools = runtime.pools();
        for (PoolGauge family : gauges) {
            family.gauge().register(pools.entrySet().stream()
                    .<MultiGauge.Row<?>>map(pool -> MultiGauge.Row.of(Tags.of("project", pool.getKey().toString()),
                            pool.getValue(), p -> family.value().applyAsInt(p)))
                    .toList(), true);
        }
    }
}
