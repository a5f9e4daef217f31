package io.cococloud.project;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;

import io.cococloud.origin.ProjectSlugs;

/**
 * Resolves the project named in a public URL (its id or its slug) without a query per request:
 * ids are taken as they are (whatever they name is looked up next anyway), slugs are cached.
 */
@Service
public class ProjectDirectory implements ProjectSlugs {

    private final ProjectRepository projects;
    private final Map<String, UUID> slugs = new ConcurrentHashMap<>();
    private final Map<UUID, String> slugsById = new ConcurrentHashMap<>();

    ProjectDirectory(ProjectRepository projects) {
        this.projects = projects;
    }

    public Optional<UUID> idOf(String ref) {
        UUID id = ProjectAccess.parseUuid(ref);
        if (id != null) {
            return Optional.of(id);
        }
        UUID cached = slugs.get(ref);
        if (cached != null) {
            return Optional.of(cached);
        }
        return idOfSlug(ref);
    }

    /**
     * The project whose slug this is; never takes an id. A host name's label is a slug only: a project must
     * not be reachable at {@code {its id}.{public domain}}, and an id-shaped label must not skip the lookup.
     */
    @Override
    public Optional<UUID> idOfSlug(String slug) {
        UUID cached = slugs.get(slug);
        if (cached != null) {
            return Optional.of(cached);
        }
        return projects.findBySlug(slug).map(p -> {
            slugs.put(slug, p.id());
            return p.id();
        });
    }

    /** The project's current slug (for its origin, {@code {slug}.{public domain}}); empty when it does not exist. */
    @Override
    public Optional<String> slugOf(UUID projectId) {
        String cached = slugsById.get(projectId);
        if (cached != null) {
            return Optional.of(cached);
        }
        return projects.findById(projectId).map(p -> {
            slugsById.put(projectId, p.slug());
            return p.slug();
        });
    }

    void forget(UUID projectId) {
        slugs.values().removeIf(projectId::equals);
        slugsById.remove(projectId);
    }
}
