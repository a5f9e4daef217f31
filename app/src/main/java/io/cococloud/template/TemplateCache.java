package io.cococloud.template;

import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.project.ProjectDeleted;

/**
 * The stored templates that renders have used, in memory, so that rendering a template that has not changed
 * costs no database query: a write on any node makes every node forget the name once it commits
 * ({@link TemplateChanged}); no entry outlives {@code coco.cluster.max-staleness}, in case a notification was missed.
 *
 * <p>A lookup loads inside Caffeine's {@code get(key, loader)}, and an invalidation waits for a load of the same
 * name in progress, so a load that read the old row can never be stored after the write that replaced it.
 * Absent names are remembered too, so a function that keeps asking for a missing template does not keep asking
 * the database.
 */
@Component
class TemplateCache {

    /** Characters of template source kept in memory; past this, the least used are reloaded on demand. */
    static final long MAX_CACHED_CHARS = 32L * 1024 * 1024;

    private record Key(UUID projectId, String name) {}

    private final Cache<Key, Optional<CachedTemplate>> entries;
    private final TemplateRepository repository;
    private final ApplicationEventPublisher events;

    TemplateCache(TemplateRepository repository, ApplicationEventPublisher events, ClusterProperties cluster) {
        this.repository = repository;
        this.events = events;
        this.entries = Caffeine.newBuilder().maximumWeight(MAX_CACHED_CHARS)
                .<Key, Optional<CachedTemplate>>weigher((key, value) -> key.name().length()
                        + value.map(t -> t.content().length()).orElse(0))
                .expireAfterWrite(cluster.maxStaleness()).build();
    }

    /** The current content of a template (and its parsed form, once parsed); empty when there is none. */
    Optional<CachedTemplate> find(UUID projectId, String name) {
        return entries.get(new Key(projectId, name), key -> repository.find(projectId, name)
                .map(row -> new CachedTemplate(row.name(), row.version(), row.content())));
    }

    /** Called after a write to {@code name} committed: forgotten here, and on every other node. */
    void forget(UUID projectId, String name) {
        events.publishEvent(new TemplateChanged(projectId, name));
    }

    @TransactionalEventListener(fallbackExecution = true)
    void templateChanged(TemplateChanged event) {
        entries.invalidate(new Key(event.projectId(), event.name()));
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        entries.asMap().keySet().removeIf(key -> key.projectId().equals(event.projectId()));
    }

    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        entries.invalidateAll();
    }
}
