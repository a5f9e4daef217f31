package io.cococloud.data;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.appuser.ReadAccess;
import io.cococloud.error.ConflictException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

import static io.cococloud.data.DocumentRequests.data;
import static io.cococloud.data.DocumentRequests.notFound;
import static io.cococloud.data.DocumentRequests.populate;
import static io.cococloud.data.DocumentRequests.query;
import static io.cococloud.data.DocumentRequests.view;

/**
 * A project's collections and documents in the admin API, for the console: settings (permissions, relations,
 * indexed fields) with document counts, and browsing and editing documents. Viewers read; developers write.
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/collections")
class CollectionAdminController {

    private final CollectionService collections;
    private final DocumentService documents;
    private final Populator populator;

    CollectionAdminController(CollectionService collections, DocumentService documents, Populator populator) {
        this.collections = collections;
        this.documents = documents;
        this.populator = populator;
    }

    record CreateCollectionRequest(String name, Object permissions, Object relations, Object indexes) {}

    /** {@code name}, when given, renames the collection (after the other settings change). */
    record UpdateCollectionRequest(Object name, Object permissions, Object relations, Object indexes) {}

    /** The client API's view of a document plus its creator (null when none), which admins may see. */
    record AdminDocumentView(String id, String collection, Map<String, Object> data, String createdAt,
            String updatedAt, String ownerId) {

        static AdminDocumentView of(String collection, Document document) {
            DocumentView view = view(collection, document);
            return new AdminDocumentView(view.id(), collection, view.data(), view.createdAt(), view.updatedAt(),
                    document.ownerId());
        }
    }

    /** A page of documents with the total number of matches. */
    record PageView(List<AdminDocumentView> data, long total, int limit, int offset, boolean hasMore) {}

    @GetMapping
    List<CollectionSettings> list(@ProjectRole(Role.VIEWER) Membership project) {
        return collections.list(project.projectId());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CollectionSettings create(@RequestBody CreateCollectionRequest body,
            @ProjectRole(Role.DEVELOPER) Membership project) {
        if (body.name() == null) {
            throw new InvalidInputException("name is required: the collection's name").with("field", "name");
        }
        return collections.create(project.projectId(), body.name(), body.permissions(), body.relations(),
                body.indexes()).orElseThrow(() -> new ConflictException("A collection named " + body.name()
                        + " exists already").with("field", "name"));
    }

    @GetMapping("/{collection}")
    CollectionSettings get(@PathVariable String collection, @ProjectRole(Role.VIEWER) Membership project) {
        return collections.find(project.projectId(), collection).orElseThrow(() -> missing(collection));
    }

    @PatchMapping("/{collection}")
    CollectionSettings update(@PathVariable String collection,
            @RequestBody UpdateCollectionRequest body, @ProjectRole(Role.DEVELOPER) Membership project) {
        if (body.name() != null) {
            collections.find(project.projectId(), collection).orElseThrow(() -> missing(collection));
            // refused before the settings change: a taken or invalid name changes nothing
            collections.requireFreeName(project.projectId(), collection, body.name());
        }
        boolean settings = body.permissions() != null || body.relations() != null || body.indexes() != null;
        CollectionSettings updated = (settings || body.name() == null ? collections.update(project.projectId(),
                collection, body.permissions(), body.relations(), body.indexes())
                : collections.find(project.projectId(), collection)).orElseThrow(() -> missing(collection));
        return body.name() == null ? updated
                : collections.rename(project.projectId(), collection, body.name()).orElseThrow(() -> missing(collection));
    }

    @DeleteMapping("/{collection}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String collection, @ProjectRole(Role.DEVELOPER) Membership project) {
        if (!collections.delete(project.projectId(), collection)) {
            throw missing(collection);
        }
    }

    /** A page of documents: the client API's filters, sort, select and populate, with the total. */
    @GetMapping("/{collection}/documents")
    PageView documents(@PathVariable String collection,
            @RequestParam MultiValueMap<String, String> params, @ProjectRole(Role.VIEWER) Membership project) {
        DocumentPage page = documents.query(project.projectId(), collection, query(params));
        // console members read everything in their project, as a server key does
        List<Document> populated = populator.populateDocuments(project.projectId(), collection, page.data(),
                populate(params), ReadAccess.project());
        return new PageView(populated.stream().map(document -> AdminDocumentView.of(collection, document)).toList(),
                page.total(), page.limit(), page.offset(), page.hasMore());
    }

    @PostMapping("/{collection}/documents")
    @ResponseStatus(HttpStatus.CREATED)
    AdminDocumentView createDocument(@PathVariable String collection, @RequestBody Map<String, Object> body,
            @ProjectRole(Role.DEVELOPER) Membership project) {
        return AdminDocumentView.of(collection, documents.create(project.projectId(), collection, data(body), null));
    }

    @GetMapping("/{collection}/documents/{id}")
    AdminDocumentView document(@PathVariable String collection, @PathVariable String id,
            @ProjectRole(Role.VIEWER) Membership project) {
        return AdminDocumentView.of(collection, documents.get(project.projectId(), collection, id)
                .orElseThrow(() -> notFound(collection, id)));
    }

    /** Shallow-merges {@code {"data": {...}}} into the document, as the client API's PATCH does. */
    @PatchMapping("/{collection}/documents/{id}")
    AdminDocumentView updateDocument(@PathVariable String collection, @PathVariable String id,
            @RequestBody Map<String, Object> body, @ProjectRole(Role.DEVELOPER) Membership project) {
        return AdminDocumentView.of(collection, documents.update(project.projectId(), collection, id, data(body))
                .orElseThrow(() -> notFound(collection, id)));
    }

    @DeleteMapping("/{collection}/documents/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteDocument(@PathVariable String collection, @PathVariable String id,
            @ProjectRole(Role.DEVELOPER) Membership project) {
        if (!documents.delete(project.projectId(), collection, id)) {
            throw notFound(collection, id);
        }
    }

    private static NotFoundException missing(String collection) {
        return NotFoundException.of("Collection " + collection);
    }
}
