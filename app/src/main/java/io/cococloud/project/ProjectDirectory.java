package io.cococloud.project;

import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.cluster.CoherentCache;
import io.cococloud.origin.ProjectSlugs;

/**
 * Resolves the project named in a public URL (its id or its slug) without a query per request:
 * ids are taken as they are (whatever they name is looked up next anyway), slugs are cached, bounded in count and
 * age, and forgotten on every node when a project's slug changes or the project goes ({@link ProjectSlugChanged}).
 */
@Service
public class ProjectDirectory implements ProjectSlugs {

    /** Slugs kept in memory; past this, the least used are looked up again. */
    static final long MAX_SLUGS = 50_000;

    private final ProjectRepository projects;
    private final ApplicationEventPublisher events;
    private final CoherentCache<String, UUID> slugs;
    private final CoherentCache<UUID, String> slugsById;

    ProjectDirectory(ProjectRepository projects, ApplicationEventPublisher events, ClusterProperties cluster) {
        this.projects = projects;
        this.events = events;
        this.slugs = new CoherentCache<>(cluster, MAX_SLUGS);
        this.slugsById = new CoherentCache<>(cluster, MAX_SLUGS);
    }

    public Optional<UUID> idOf(String ref) {
        UUID id = ProjectAccess.parseUuid(ref);
        if (id != null) {
            return Optional.of(id);
        }
        return idOfSlug(ref);
    }

    /**
     * The project whose slug this is; never takes an id. A host name's label is a slug only: a project must
     * not be reachable at {@code {its id}.{public domain}}, and an id-shaped label must not skip the lookup.
     */
    @Override
    public Optional<UUID> idOfSlug(String slug) {
        return Optional.ofNullable(slugs.get(slug, s -> projects.findBySlug(s).map(Project::id).orElse(null)));
    }

    /** The project's current slug (for its origin, {@code {slug}.{public domain}}); empty when it does not exist. */
    @Override
    public Optional<String> slugOf(UUID projectId) {
        return Optional.ofNullable(slugsById.get(projectId,
                id -> projects.findById(id).map(Project::slug).orElse(null)));
    }

    /** The project's slug changed or the project went: forgotten here at once, and on every node at commit. */
    void forget(UUID projectId) {
        evict(projectId);
        events.publishEvent(new ProjectSlugChanged(projectId));
    }

    /** Here after the commit too: a lookup between the change and its commit may have cached the old slug. */
    @TransactionalEventListener(fallbackExecution = true)
    void slugChanged(ProjectSlugChanged event) {
        evict(event.projectId());
    }

    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        slugs.evictAll();
        slugsById.evictAll();
    }

    private void evict(UUID projectId) {
        slugs.evictValues(projectId::equals);
        slugsById.evict(projectId);
    }
}
