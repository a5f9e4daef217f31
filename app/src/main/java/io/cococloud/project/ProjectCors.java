package io.cococloud.project;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.cluster.CoherentCache;
import io.cococloud.error.InvalidInputException;

/**
 * Which browser origins may call a project's client API and functions. By default any origin: the client API
 * authenticates by header, never by cookie, so a page elsewhere gains nothing it could not do with curl, and
 * CocoBase web apps are usually served from an origin of their own. A project can narrow it to a list. Cached
 * per project so that answering a call reads no table; a change is seen by every node ({@link ProjectCorsChanged}).
 */
@Service
public class ProjectCors {

    /** Every origin. */
    public static final String ANY = "*";
    static final int MAX_ORIGINS = 100;

    /** Projects whose origins are kept in memory; past this, the least used are read again. */
    static final long MAX_PROJECTS = 50_000;

    private final JdbcClient db;
    private final ApplicationEventPublisher events;
    private final CoherentCache<UUID, List<String>> cache;

    ProjectCors(JdbcClient db, ApplicationEventPublisher events, ClusterProperties cluster) {
        this.db = db;
        this.events = events;
        this.cache = new CoherentCache<>(cluster, MAX_PROJECTS);
    }

    public List<String> allowedOrigins(UUID projectId) {
        return cache.get(projectId, project -> db
                .sql("SELECT allowed_origins FROM project_cors WHERE project_id = ?").params(project)
                .query((rs, row) -> List.of((String[]) rs.getArray(1).getArray()))
                .optional().orElse(List.of(ANY)));
    }

    /** Whether a page on {@code origin} may read the project's answers. */
    public boolean allows(UUID projectId, String origin) {
        List<String> allowed = allowedOrigins(projectId);
        return allowed.contains(ANY) || allowed.contains(normalise(origin));
    }

    @Transactional
    List<String> set(UUID projectId, List<String> origins) {
        List<String> clean = validated(origins);
        db.sql("""
                INSERT INTO project_cors (project_id, allowed_origins) VALUES (?, ?)
                ON CONFLICT (project_id) DO UPDATE SET allowed_origins = excluded.allowed_origins, updated_at = now()""")
                .params(projectId, clean.toArray(String[]::new))
                .update();
        evict(projectId);
        events.publishEvent(new ProjectCorsChanged(projectId));
        return clean;
    }

    /** Here after the commit too (a read before it may have cached the old list); at once on other nodes. */
    @TransactionalEventListener(fallbackExecution = true)
    void corsChanged(ProjectCorsChanged event) {
        evict(event.projectId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        evict(event.projectId());
    }

    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        cache.evictAll();
    }

    private void evict(UUID projectId) {
        cache.evict(projectId);
    }

    private static List<String> validated(List<String> origins) {
        if (origins == null) {
            throw InvalidInputException.atField("allowed_origins", "allowed_origins is required: a list of origins"
                    + " such as \"https://app.example.com\", or [\"*\"] for any");
        }
        if (origins.size() > MAX_ORIGINS) {
            throw InvalidInputException.atField("allowed_origins",
                    "allowed_origins has " + origins.size() + " entries; at most " + MAX_ORIGINS);
        }
        List<String> clean = new ArrayList<>();
        for (String origin : origins) {
            String normal = origin == null ? null : normalise(origin);
            if (normal == null || !(normal.equals(ANY) || isOrigin(normal))) {
                throw InvalidInputException.atField("allowed_origins", "allowed_origins: '" + origin
                        + "' is not an origin (scheme://host[:port], http or https, no path) nor \"*\"");
            }
            if (!clean.contains(normal)) {
                clean.add(normal);
            }
        }
        return clean;
    }

    private static String normalise(String origin) {
        String trimmed = origin.strip();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1).toLowerCase(Locale.ROOT)
                : trimmed.toLowerCase(Locale.ROOT);
    }

    private static boolean isOrigin(String value) {
        if (value.length() > 300) {
            return false;
        }
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawPath().isEmpty() && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
