package io.cococloud.function;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.project.ProjectDeleted;
import io.cococloud.project.ProjectPackagesChanged;
import io.cococloud.runtime.PythonRuntime;

/**
 * The deployed functions, in memory, so that answering an execution reads no table. Filled on
 * first use from PostgreSQL and evicted when the function changes on any node ({@link FunctionChanged}, sent to
 * every node), when its project is deleted or its packages change; bounded in count, and no entry outlives
 * {@code coco.cluster.max-staleness}, in case a notification was missed.
 */
@Component
class FunctionRegistry {

    /** Deployed functions kept in memory; past this, the least used are loaded again on their next call. */
    static final long MAX_FUNCTIONS = 20_000;
    /** The bound on their own files' size: one version may carry up to 64 MB of data files. */
    static final long MAX_CACHED_BYTES = 512L * 1024 * 1024;

    private final FunctionRepository repository;
    private final ProjectPackages packages;
    private final PythonRuntime runtime;
    private final ApplicationEventPublisher events;
    private final Cache<UUID, DeployedFunction> byId;
    private final Cache<String, UUID> byName;
    /** Counts evictions: a load that raced with one is served but not cached, so no stale code stays. */
    private final AtomicLong evictions = new AtomicLong();

    FunctionRegistry(FunctionRepository repository, ProjectPackages packages, PythonRuntime runtime,
            ApplicationEventPublisher events, ClusterProperties cluster) {
        this.repository = repository;
        this.packages = packages;
        this.runtime = runtime;
        this.events = events;
        this.byId = Caffeine.newBuilder().maximumWeight(MAX_CACHED_BYTES)
                .<UUID, DeployedFunction>weigher((id, function) -> weight(function.ownBytes()))
                .expireAfterWrite(cluster.maxStaleness()).build();
        this.byName = Caffeine.newBuilder().maximumSize(MAX_FUNCTIONS).expireAfterWrite(cluster.maxStaleness()).build();
    }

    Optional<DeployedFunction> byId(UUID functionId) {
        DeployedFunction cached = byId.getIfPresent(functionId);
        if (cached != null) {
            return Optional.of(cached);
        }
        return repository.projectOf(functionId).flatMap(projectId -> load(projectId, functionId));
    }

    Optional<DeployedFunction> byName(UUID projectId, String name) {
        UUID id = byName.getIfPresent(projectId + "/" + name);
        if (id != null) {
            DeployedFunction cached = byId.getIfPresent(id);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        return repository.findByName(projectId, name).flatMap(f -> load(projectId, f.id()));
    }

    /** The function changed (called once the change is committed): every node drops it. */
    void evict(UUID functionId) {
        events.publishEvent(new FunctionChanged(functionId));
    }

    @EventListener
    void functionChanged(FunctionChanged event) {
        forget(event.functionId());
    }

    /** Notifications may have been missed: everything is loaded anew. */
    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        evictions.incrementAndGet();
        byId.invalidateAll();
        byName.invalidateAll();
    }

    private void forget(UUID functionId) {
        evictions.incrementAndGet(); // a load of this function in progress must not be kept either
        DeployedFunction gone = byId.asMap().remove(functionId);
        if (gone != null) {
            byName.invalidate(gone.projectId() + "/" + gone.name());
        }
        byName.asMap().values().removeIf(functionId::equals); // a rename leaves the old name pointing here
    }

    /** A deleted project's functions stop answering once the deletion commits, not at the next restart. */
    @TransactionalEventListener(fallbackExecution = true)
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
        List<UUID> loaded = byId.asMap().values().stream().filter(f -> f.projectId().equals(event.projectId()))
                .map(DeployedFunction::id).toList();
        evictProject(event.projectId());
        runtime.prewarm(loaded.stream().map(this::byId).flatMap(Optional::stream)
                .map(DeployedFunction::functionCode).toList());
    }

    private void evictProject(UUID projectId) {
        evictions.incrementAndGet();
        byId.asMap().values().removeIf(function -> function.projectId().equals(projectId));
        byName.asMap().keySet().removeIf(key -> key.startsWith(projectId + "/"));
    }

    /** An entry's weight: at least 1 (an entry is never free), and within Caffeine's int. */
    private static int weight(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes));
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
                            Map<String, byte[]> data = repository.data(projectId, functionId, v.version());
                            PackageLayer.Merged merged = packages.layer(projectId).under(v.files(),
                                    tree(v.files(), data));
                            long ownBytes = v.files().values().stream().mapToLong(String::length).sum()
                                    + data.values().stream().mapToLong(bytes -> bytes.length).sum();
                            return new DeployedFunction(projectId, f.id(), f.name(), v.version(), v.style(),
                                    v.entryFile(), v.entryName(), merged.files(), merged.tree(), f.handler(),
                                    f.timeoutSeconds(), f.requireAuth(), f.enabled(), merged.stamp(), ownBytes);
                        }))
                .map(deployed -> {
                    byId.put(functionId, deployed);
                    byName.put(projectId + "/" + deployed.name(), functionId);
                    if (evictions.get() != before) {
                        forget(functionId); // loaded with what was there before the eviction
                    }
                    return deployed;
                });
    }
}
