package io.cococloud.function;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.cococloud.project.ProjectDeleted;
import io.cococloud.project.ProjectPackagesChanged;
import io.cococloud.runtime.PythonRuntime;

/**
 * The deployed functions, in memory, so that answering an execution reads no table. Filled on
 * first use from PostgreSQL and evicted when the function changes on this node. (Several app
 * nodes would need a change notification, e.g. LISTEN/NOTIFY; one node is what runs today.)
 */
@Component
class FunctionRegistry {

    private final FunctionRepository repository;
    private final ProjectPackages packages;
    private final PythonRuntime runtime;
    private final Map<UUID, DeployedFunction> byId = new ConcurrentHashMap<>();
    private final Map<String, UUID> byName = new ConcurrentHashMap<>();
    /** Counts project-wide evictions: a load that raced with one is served but not cached, so no stale code stays. */
    private final AtomicLong evictions = new AtomicLong();

    FunctionRegistry(FunctionRepository repository, ProjectPackages packages, PythonRuntime runtime) {
        this.repository = repository;
        this.packages = packages;
        this.runtime = runtime;
    }

    Optional<DeployedFunction> byId(UUID functionId) {
        DeployedFunction cached = byId.get(functionId);
        if (cached != null) {
            return Optional.of(cached);
        }
        return repository.projectOf(functionId).flatMap(projectId -> load(projectId, functionId));
    }

    Optional<DeployedFunction> byName(UUID projectId, String name) {
        UUID id = byName.get(projectId + "/" + name);
        if (id != null) {
            DeployedFunction cached = byId.get(id);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        return repository.findByName(projectId, name).flatMap(f -> load(projectId, f.id()));
    }

    void evict(UUID functionId) {
        DeployedFunction gone = byId.remove(functionId);
        if (gone != null) {
            byName.remove(gone.projectId() + "/" + gone.name());
        }
    }

    /** A deleted project's functions stop answering at once, not at the next restart. */
    @EventListener
    void projectDeleted(ProjectDeleted event) {
        evictProject(event.projectId());
    }

    /**
     * The project's functions carry the layer's files: those this node had loaded are loaded anew with the layer as it
     * is now and warmed in one context in the background (after the runtime has dropped the project's contexts: see
     * the order), so that a framework app's next call does not wait for its import.
     */
    @EventListener
    @Order(Ordered.LOWEST_PRECEDENCE)
    void packagesChanged(ProjectPackagesChanged event) {
        List<UUID> loaded = byId.values().stream().filter(f -> f.projectId().equals(event.projectId()))
                .map(DeployedFunction::id).toList();
        evictProject(event.projectId());
        runtime.prewarm(loaded.stream().map(this::byId).flatMap(Optional::stream)
                .map(DeployedFunction::functionCode).toList());
    }

    private void evictProject(UUID projectId) {
        evictions.incrementAndGet();
        byId.values().removeIf(function -> function.projectId().equals(projectId));
        byName.keySet().removeIf(key -> key.startsWith(projectId + "/"));
    }

    /**
     * Every file of the version as bytes, for its read-only file system; none when it has no data file (its
     * sources are all it has, and the loader serves them).
     */
    private static Map<String, byte[]> tree(Map<String, String> files, Map<String, byte[]> data) {
        if (data.isEmpty()) {
            return Map.of();
        }
        Map<String, byte[]> tree = new java.util.HashMap<>(data);
        files.forEach((path, text) -> tree.put(path, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return tree;
    }

    private Optional<DeployedFunction> load(UUID projectId, UUID functionId) {
        long before = evictions.get();
        return repository.find(projectId, functionId)
                .filter(f -> f.deployedVersion() != null)
                .flatMap(f -> repository.source(projectId, functionId, f.deployedVersion())
                        .map(v -> {
                            PackageLayer.Merged merged = packages.layer(projectId).under(v.files(),
                                    tree(v.files(), repository.data(projectId, functionId, v.version())));
                            return new DeployedFunction(projectId, f.id(), f.name(), v.version(), v.style(),
                                    v.entryFile(), v.entryName(), merged.files(), merged.tree(), f.handler(),
                                    f.timeoutSeconds(), f.requireAuth(), f.enabled(), merged.stamp());
                        }))
                .map(deployed -> {
                    byId.put(functionId, deployed);
                    byName.put(projectId + "/" + deployed.name(), functionId);
                    if (evictions.get() != before) {
                        evict(functionId); // loaded with what was there before the eviction
                    }
                    return deployed;
                });
    }
}
