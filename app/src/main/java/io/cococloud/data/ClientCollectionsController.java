package io.cococloud.data;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.appuser.ClientCaller;
import io.cococloud.error.ForbiddenException;
import io.cococloud.error.NotFoundException;

/**
 * Collections as things of the client API (the Flutter SDK's listCollections, getCollection, deleteCollection):
 * {@code {id, name, created_at, updated_at}}, a collection's id being its name. A caller sees the collections it
 * may read; only a server key deletes one. Creating is {@link CollectionsController}'s {@code POST /collections}.
 */
@RestController
class ClientCollectionsController {

    private final CollectionService collections;
    private final CollectionPermissions permissions;

    ClientCollectionsController(CollectionService collections, CollectionPermissions permissions) {
        this.collections = collections;
        this.permissions = permissions;
    }

    record CollectionView(String id, String name, String createdAt, String updatedAt) {
        static CollectionView of(CollectionSettings settings) {
            return new CollectionView(settings.name(), settings.name(), settings.createdAt().toString(),
                    settings.updatedAt().toString());
        }
    }

    @GetMapping({"/collections", "/collections/"})
    List<CollectionView> list(ClientCaller caller) {
        return collections.list(caller.projectId()).stream()
                .filter(collection -> permissions.mayRead(caller.projectId(), caller.reader(), collection.name()))
                .map(CollectionView::of).toList();
    }

    @GetMapping("/collections/{collection}")
    CollectionView get(ClientCaller caller, @PathVariable String collection) {
        permissions.require(caller, collection, "read");
        return collections.find(caller.projectId(), collection).map(CollectionView::of)
                .orElseThrow(() -> NotFoundException.of("Collection " + collection));
    }

    /** {@code {"success": true}}: the SDK reads the answer as a map of booleans. */
    @DeleteMapping("/collections/{collection}")
    Map<String, Boolean> delete(ClientCaller caller, @PathVariable String collection) {
        if (!caller.server()) {
            throw new ForbiddenException("Collections are deleted with a server key, not a client key");
        }
        if (!collections.delete(caller.projectId(), collection)) {
            throw NotFoundException.of("Collection " + collection);
        }
        return Map.of("success", true);
    }
}
