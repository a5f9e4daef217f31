package io.cococloud.template;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import io.cococloud.project.ProjectDeleted;

/**
 * The stored templates that renders have used, in memory, so that rendering a template that has not changed
 * costs no database query: the admin API of this node forgets a name right after its write commits.
 * (Several app nodes would need a shared signal, e.g. LISTEN/NOTIFY; one node needs none.)
 *
 * <p>A lookup loads inside {@link ConcurrentHashMap#computeIfAbsent}, and {@link #forget} waits for a load of the
 * same name in progress, so a load that read the old row can never be stored after the write that replaced it.
 * Absent names are remembered too, so a function that keeps asking for a missing template does not keep asking
 * the database.
 */
@Component
class TemplateCache {

    /** Characters of template source kept in memory before everything is dropped and reloaded on demand. */
    static final long MAX_CACHED_CHARS = 32L * 1024 * 1024;

    private record Key(UUID projectId, String name) {}

    private final ConcurrentHashMap<Key, Optional<CachedTemplate>> entries = new ConcurrentHashMap<>();
    private final AtomicLong cachedChars = new AtomicLong();
    private final TemplateRepository repository;

    TemplateCache(TemplateRepository repository) {
        this.repository = repository;
    }

    /** The current content of a template (and its parsed form, once parsed); empty when there is none. */
    Optional<CachedTemplate> find(UUID projectId, String name) {
        Optional<CachedTemplate> found = entries.computeIfAbsent(new Key(projectId, name), key -> {
            Optional<CachedTemplate> loaded = repository.find(projectId, name)
                    .map(row -> new CachedTemplate(row.name(), row.version(), row.content()));
            cachedChars.addAndGet(loaded.map(t -> (long) t.content().length()).orElse(0L) + key.name().length());
            return loaded;
        });
        if (cachedChars.get() > MAX_CACHED_CHARS) {
            // Rare and cheap to recover from: every entry reloads on its next use.
            entries.clear();
            cachedChars.set(0);
        }
        return found;
    }

    /** Called after a write to {@code name} committed. */
    void forget(UUID projectId, String name) {
        entries.computeIfPresent(new Key(projectId, name), (key, old) -> {
            cachedChars.addAndGet(-(old.map(t -> (long) t.content().length()).orElse(0L) + key.name().length()));
            return null;
        });
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        entries.keySet().removeIf(key -> key.projectId().equals(event.projectId()));
    }
}
