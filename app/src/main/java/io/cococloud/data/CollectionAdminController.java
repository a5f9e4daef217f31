package io.cococloud.data;

import java.util.LinkedHashMap;
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
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;
import io.cococloud.web.ApiProblem;

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

    record UpdateCollectionRequest(Object permissions, Object relations, Object indexes) {}

    @GetMapping
    List<CollectionSettings> list(@ProjectRole(Role.VIEWER) Membership project) {
        return collections.list(project.projectId());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CollectionSettings create(@ProjectRole(Role.DEVELOPER) Membership project,
            @RequestBody CreateCollectionRequest body) {
        if (body.name() == null) {
            throw ApiProblem.badRequest("name is required: the collection's name").with("field", "name");
        }
        return collections.create(project.projectId(), body.name(), body.permissions(), body.relations(),
                body.indexes()).orElseThrow(() -> ApiProblem.conflict("A collection named " + body.name()
                        + " exists already").with("field", "name"));
    }

    @GetMapping("/{collection}")
    CollectionSettings get(@ProjectRole(Role.VIEWER) Membership project, @PathVariable String collection) {
        return collections.find(project.projectId(), collection).orElseThrow(() -> missing(collection));
    }

    @PatchMapping("/{collection}")
    CollectionSettings update(@ProjectRole(Role.DEVELOPER) Membership project, @PathVariable String collection,
            @RequestBody UpdateCollectionRequest body) {
        return collections.update(project.projectId(), collection, body.permissions(), body.relations(),
                body.indexes()).orElseThrow(() -> missing(collection));
    }

    @DeleteMapping("/{collection}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.DEVELOPER) Membership project, @PathVariable String collection) {
        if (!collections.delete(project.projectId(), collection)) {
            throw missing(collection);
        }
    }

    /** A page of documents: the client API's filters, sort, select and populate, with the total. */
    @GetMapping("/{collection}/documents")
    Map<String, Object> documents(@ProjectRole(Role.VIEWER) Membership project, @PathVariable String collection,
            @RequestParam MultiValueMap<String, String> params) {
        DocumentPage page = documents.query(project.projectId(), collection, query(params));
        // console members read everything in their project, as a server key does
        List<Document> populated = populator.populateDocuments(project.projectId(), collection, page.data(),
                populate(params), ReadAccess.project());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("data", populated.stream().map(document -> adminView(collection, document)).toList());
        view.put("total", page.total());
        view.put("limit", page.limit());
        view.put("offset", page.offset());
        view.put("has_more", page.hasMore());
        return view;
    }

    @PostMapping("/{collection}/documents")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> createDocument(@ProjectRole(Role.DEVELOPER) Membership project, @PathVariable String collection,
            @RequestBody Map<String, Object> body) {
        return adminView(collection, documents.create(project.projectId(), collection, data(body), null));
    }

    @GetMapping("/{collection}/documents/{id}")
    Map<String, Object> document(@ProjectRole(Role.VIEWER) Membership project, @PathVariable String collection,
            @PathVariable String id) {
        return adminView(collection, documents.get(project.projectId(), collection, id)
                .orElseThrow(() -> notFound(collection, id)));
    }

    /** Shallow-merges {@code {"data": {...}}} into the document, as the client API's PATCH does. */
    @PatchMapping("/{collection}/documents/{id}")
    Map<String, Object> updateDocument(@ProjectRole(Role.DEVELOPER) Membership project, @PathVariable String collection,
            @PathVariable String id, @RequestBody Map<String, Object> body) {
        return adminView(collection, documents.update(project.projectId(), collection, id, data(body))
                .orElseThrow(() -> notFound(collection, id)));
    }

    @DeleteMapping("/{collection}/documents/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteDocument(@ProjectRole(Role.DEVELOPER) Membership project, @PathVariable String collection,
            @PathVariable String id) {
        if (!documents.delete(project.projectId(), collection, id)) {
            throw notFound(collection, id);
        }
    }

    /** The client view plus the creator, which admins may see. */
    private static Map<String, Object> adminView(String collection, Document document) {
        Map<String, Object> view = view(collection, document);
        view.put("owner_id", document.ownerId());
        return view;
    }

    private static ApiProblem missing(String collection) {
        return ApiProblem.notFound("Collection " + collection);
    }
}
