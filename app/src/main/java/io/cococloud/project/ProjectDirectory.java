package io.cococloud.project;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;

/**
 * Resolves the project named in a public URL (its id or its slug) without a query per request:
 * ids are taken as they are (whatever they name is looked up next anyway), slugs are cached.
 */
@Service
public class ProjectDirectory {

    private final ProjectRepository projects;
    private final Map<String, UUID> slugs = new ConcurrentHashMap<>();

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
        return projects.findBySlug(ref).map(p -> {
            slugs.put(ref, p.id());
            return p.id();
        });
    }

    void forget(UUID projectId) {
        slugs.values().removeIf(projectId::equals);
    }
}
