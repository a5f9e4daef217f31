package io.cococloud.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import io.cococloud.appuser.ClientCaller;
import io.cococloud.appuser.ReadAccess;
import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.cluster.CoherentCache;
import io.cococloud.error.ForbiddenException;
import io.cococloud.error.UnauthenticatedException;
import io.cococloud.project.ProjectDeleted;

/**
 * Who is calling the client API, and whether they may do an action on a collection. A collection's row holds
 * {@code {"create": [roles], "read": [...], "update": [...], "delete": [...]}}: a missing row or an empty list
 * means anyone with the project's key; otherwise a signed-in app user with one of the roles (no user 401, no
 * such role 403). With {@code "owner_only": true} only a document's creator may update or delete it. A server key
 * may do everything.
 *
 * <p>The rows are read once and kept (bounded in count and age), dropped on every node when a collection's
 * permissions change ({@link CollectionPermissionsChanged}), so that a client-API call reads no table to check them.
 */
@Component
public class CollectionPermissions {

    static final List<String> ACTIONS = List.of("create", "read", "update", "delete");
    /** Collections' permission rows kept in memory; past this, the least used are read again. */
    static final long MAX_COLLECTIONS = 100_000;

    private final CollectionService collections;
    private final DocumentService documents;

    private record Collection(UUID projectId, String name) {}

    private final CoherentCache<Collection, Map<String, Object>> permissions;

    CollectionPermissions(CollectionService collections, DocumentService documents, ClusterProperties cluster) {
        this.collections = collections;
        this.documents = documents;
        this.permissions = new CoherentCache<>(cluster, MAX_COLLECTIONS);
    }

    /**
     * Throws 401 or 403 unless the caller may do {@code action} on the collection. For update and delete in a
     * collection with {@code owner_only}, returns the app user whose documents alone the caller may touch; else
     * null, any document.
     */
    public String require(ClientCaller caller, String collection, String action) {
        if (caller.server()) {
            return null;
        }
        Map<String, Object> rules = permissions(caller.projectId(), collection);
        List<String> roles = roles(rules.get(action));
        boolean ownerOnly = Boolean.TRUE.equals(rules.get("owner_only"))
                && (action.equals("update") || action.equals("delete"));
        if (roles.isEmpty() && !ownerOnly) {
            return null;
        }
        if (caller.user() == null) {
            throw new UnauthenticatedException("Sign in to " + action + " documents of " + collection
                    + ": send Authorization: Bearer <access_token>");
        }
        if (!roles.isEmpty() && caller.user().roles().stream().noneMatch(roles::contains)) {
            throw new ForbiddenException("To " + action + " documents of " + collection + " you need one of the roles "
                    + String.join(", ", roles));
        }
        return ownerOnly ? caller.user().id() : null;
    }

    /**
     * Throws 401 or 403 unless the caller may {@code action} ("update" or "delete") this document: the collection's
     * roles and, in an owner-only collection, being its creator. A document that does not exist passes, so that
     * the caller answers 404 for it.
     */
    public void requireChange(ClientCaller caller, String collection, String id, String action) {
        String owner = require(caller, collection, action);
        if (owner != null && documents.ownedBy(caller.projectId(), collection, List.of(id), owner).isEmpty()
                && documents.get(caller.projectId(), collection, id).isPresent()) {
            throw new ForbiddenException("Only the creator of document " + id + " may " + action + " it");
        }
    }

    /**
     * Whether {@code reader} may read documents of the collection, without an answer of its own: populate asks
     * this of every collection it would read from and leaves a reference to one the reader may not read as it is
     * stored (as Parse leaves an unreadable pointer unexpanded), so that nothing of the target leaks.
     */
    public boolean mayRead(UUID projectId, ReadAccess reader, String collection) {
        if (reader.wholeProject()) {
            return true;
        }
        List<String> roles = roles(permissions(projectId, collection).get("read"));
        return roles.isEmpty() || reader.user() != null && reader.user().roles().stream().anyMatch(roles::contains);
    }

    /**
     * What a write may answer of the document it changed: all of it when the caller may read the collection;
     * otherwise only the fields it sent, so that an update right without a read right (an empty patch, say) does
     * not read the stored fields back.
     */
    public Document writeAnswer(ClientCaller caller, String collection, Document written, Set<String> sent) {
        if (mayRead(caller.projectId(), caller.reader(), collection)) {
            return written;
        }
        Map<String, Object> data = new LinkedHashMap<>(written.data());
        data.keySet().retainAll(sent);
        return new Document(written.id(), data, written.ownerId(), written.createdAt(), written.updatedAt());
    }

    /** The collection's permission row, from memory after the first read. */
    private Map<String, Object> permissions(UUID projectId, String collection) {
        return permissions.get(new Collection(projectId, collection),
                key -> collections.permissions(key.projectId(), key.name()));
    }

    /** Here after the commit (a read before it may have kept the old row); on other nodes once committed. */
    @TransactionalEventListener(fallbackExecution = true)
    void permissionsChanged(CollectionPermissionsChanged event) {
        permissions.evict(new Collection(event.projectId(), event.collection()));
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        permissions.evictIf(key -> key.projectId().equals(event.projectId()));
    }

    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        permissions.evictAll();
    }

    private static List<String> roles(Object stored) {
        return stored instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }
}
