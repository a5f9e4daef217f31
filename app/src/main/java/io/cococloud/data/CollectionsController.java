package io.cococloud.data;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.appuser.ClientCaller;
import io.cococloud.error.ConflictException;
import io.cococloud.error.ForbiddenException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;

import static io.cococloud.data.DocumentRequests.data;
import static io.cococloud.data.DocumentRequests.filters;
import static io.cococloud.data.DocumentRequests.notFound;
import static io.cococloud.data.DocumentRequests.object;
import static io.cococloud.data.DocumentRequests.populate;
import static io.cococloud.data.DocumentRequests.query;
import static io.cococloud.data.DocumentRequests.view;

/**
 * The CocoBase client API's {@code /collections} (docs/client-api.md#documents): documents of
 * the key's project, under the collection's permissions. Query parameters other than the paging ones are
 * filters in the language of docs/client-api.md#filters.
 */
@RestController
class CollectionsController {

    static final int MAX_BATCH = 1000;
    private static final Set<String> AGGREGATE_PARAMS = Set.of("field", "operation", "limit", "offset", "sort",
            "sort_by", "order", "select", "populate");
    private static final Set<String> COLLECTION_FIELDS = Set.of("name", "permissions", "relations", "indexes");
    private static final Set<String> PATCH_FIELDS = Set.of("name", "webhook_url");

    private final DocumentService documents;
    private final CollectionService collections;
    private final CollectionPermissions permissions;
    private final Populator populator;
    private final ObjectProvider<CollectionWebhooks> webhooks;

    CollectionsController(DocumentService documents, CollectionService collections,
            CollectionPermissions permissions, Populator populator, ObjectProvider<CollectionWebhooks> webhooks) {
        this.documents = documents;
        this.collections = collections;
        this.permissions = permissions;
        this.populator = populator;
        this.webhooks = webhooks;
    }

    /**
     * A collection as PATCH answers it: the Flutter SDK's Collection.fromJson reads id, name and created_at; the
     * webhook's fields when the call set one (the secret only when this call made it).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CollectionChanged(String id, String name, @JsonProperty("created_at") String createdAt,
            @JsonProperty("webhook_url") String webhookUrl, @JsonProperty("webhook_secret") String webhookSecret,
            @JsonProperty("signature_header") String signatureHeader) {}

    /**
     * A collection just created: its settings and when. {@code id} (the name: a collection's id is its name) is what
     * the Flutter SDK's Collection.fromJson reads first.
     */
    record CollectionCreated(String id, String name, Map<String, Object> permissions,
            Map<String, Map<String, String>> relations, List<String> indexes, String createdAt) {}

    record Deleted(String status, String id) {}

    record Count(long count) {}

    /** The aggregate's value; null (kept in the answer) when no document matched. */
    record Aggregate(BigDecimal result) {}

    @PostMapping({"/collections", "/collections/"})
    @ResponseStatus(HttpStatus.CREATED)
    CollectionCreated createCollection(ClientCaller caller, @RequestBody Map<String, Object> body) {
        if (!caller.server()) {
            throw new ForbiddenException("Collections are created with a server key, not a client key");
        }
        if (!(body.get("name") instanceof String name)) {
            throw new InvalidInputException("name must be the collection's name, a string");
        }
        for (String field : body.keySet()) {
            if (!COLLECTION_FIELDS.contains(field)) {
                throw new InvalidInputException("Unknown field '" + field + "'");
            }
        }
        CollectionSettings created = collections.create(caller.projectId(), name, body.get("permissions"),
                body.get("relations"), body.get("indexes"))
                .orElseThrow(() -> new ConflictException("A collection named " + name + " exists already"));
        return new CollectionCreated(created.name(), created.name(), created.permissions(), created.relations(),
                created.indexes(), created.createdAt().toString());
    }

    /**
     * Renames the collection ({@code {"name": "new"}}, the Flutter SDK's updateCollection) and/or sets CocoBase's
     * collection webhook ({@code {"webhook_url": "https://..."}}, or null to remove it), with a server key
     * (docs/client-api.md#collections, docs/hooks.md#collection-webhooks). Everything is checked before anything
     * changes; the webhook is set before the rename, which carries it to the new name.
     */
    @PatchMapping("/collections/{collection}")
    CollectionChanged updateCollection(ClientCaller caller, @PathVariable String collection,
            @RequestBody Map<String, Object> body) {
        if (!caller.server()) {
            throw new ForbiddenException("Collections are changed with a server key, not a client key");
        }
        for (String field : body.keySet()) {
            if (!PATCH_FIELDS.contains(field)) {
                throw new InvalidInputException("Unknown field '" + field + "': PATCH /collections/{name} takes"
                        + " name and webhook_url").with("field", field);
            }
        }
        if (body.isEmpty()) {
            throw new InvalidInputException("PATCH /collections/{name} takes name (a new name) and/or webhook_url");
        }
        boolean setsWebhook = body.containsKey("webhook_url");
        Object url = body.get("webhook_url");
        if (url != null && !(url instanceof String)) {
            throw InvalidInputException.atField("webhook_url", "webhook_url must be a URL (a string), or null to"
                    + " remove the webhook");
        }
        DocumentService.requireCollection(collection);
        if (collections.find(caller.projectId(), collection).isEmpty()) {
            throw new NotFoundException("Collection " + collection + " not found");
        }
        boolean renames = body.containsKey("name");
        if (renames) {
            collections.requireFreeName(caller.projectId(), collection, body.get("name"));
        }
        CollectionWebhooks hooks = webhooks.getIfAvailable();
        if (setsWebhook && hooks == null) {
            throw new InvalidInputException("webhooks are not available on this server");
        }
        Optional<CollectionWebhooks.Webhook> set = setsWebhook
                ? hooks.set(caller.projectId(), collection, (String) url) : Optional.empty();
        CollectionSettings now = (renames ? collections.rename(caller.projectId(), collection, body.get("name"))
                : collections.find(caller.projectId(), collection))
                .orElseThrow(() -> new NotFoundException("Collection " + collection + " not found"));
        return new CollectionChanged(now.name(), now.name(), now.createdAt().toString(),
                set.map(CollectionWebhooks.Webhook::url).orElse(null),
                set.flatMap(CollectionWebhooks.Webhook::secret).orElse(null),
                set.isPresent() ? "X-Coco-Signature" : null);
    }

    @PostMapping("/collections/documents")
    @ResponseStatus(HttpStatus.CREATED)
    DocumentView create(ClientCaller caller,
            @RequestParam(name = "collection", required = false) String collection,
            @RequestBody Map<String, Object> body) {
        if (collection == null || collection.isBlank()) {
            throw new InvalidInputException("Name the collection in the query: ?collection=NAME");
        }
        permissions.require(caller, collection, "create");
        Document created = documents.create(caller.projectId(), collection, data(body), caller.ownerId());
        return view(collection, created);
    }

    @GetMapping("/collections/{collection}/documents")
    List<DocumentView> list(ClientCaller caller,
            @PathVariable String collection, @RequestParam MultiValueMap<String, String> params) {
        permissions.require(caller, collection, "read");
        List<Document> page = documents.list(caller.projectId(), collection, query(params));
        return populator.populateDocuments(caller.projectId(), collection, page, populate(params),
                caller.reader()).stream()
                .map(document -> view(collection, document)).toList();
    }

    /** {@code ?populate=} as on a listing: the Flutter SDK's getDocument sends it. */
    @GetMapping("/collections/{collection}/documents/{id}")
    DocumentView get(ClientCaller caller, @PathVariable String collection, @PathVariable String id,
            @RequestParam MultiValueMap<String, String> params) {
        permissions.require(caller, collection, "read");
        Document document = documents.get(caller.projectId(), collection, id)
                .orElseThrow(() -> notFound(collection, id));
        List<String> populate = populate(params);
        return view(collection, populate.isEmpty() ? document : populator.populateDocuments(caller.projectId(),
                collection, List.of(document), populate, caller.reader()).getFirst());
    }

    @PatchMapping("/collections/{collection}/documents/{id}")
    DocumentView update(ClientCaller caller,
            @PathVariable String collection, @PathVariable String id, @RequestBody Map<String, Object> body) {
        permissions.requireChange(caller, collection, id, "update");
        Map<String, Object> patch = data(body);
        Document updated = documents.update(caller.projectId(), collection, id, patch)
                .orElseThrow(() -> notFound(collection, id));
        return view(collection, permissions.writeAnswer(caller, collection, updated, patch.keySet()));
    }

    @PutMapping("/collections/{collection}/documents/{id}")
    DocumentView replace(ClientCaller caller,
            @PathVariable String collection, @PathVariable String id, @RequestBody Map<String, Object> body) {
        permissions.requireChange(caller, collection, id, "update");
        Map<String, Object> fields = data(body);
        Document replaced = documents.replace(caller.projectId(), collection, id, fields)
                .orElseThrow(() -> notFound(collection, id));
        return view(collection, permissions.writeAnswer(caller, collection, replaced, fields.keySet()));
    }

    @DeleteMapping("/collections/{collection}/documents/{id}")
    Deleted delete(ClientCaller caller, @PathVariable String collection, @PathVariable String id) {
        permissions.requireChange(caller, collection, id, "delete");
        if (!documents.delete(caller.projectId(), collection, id)) {
            throw notFound(collection, id);
        }
        return new Deleted("success", id);
    }

    @PostMapping("/collections/{collection}/batch/documents/create")
    @ResponseStatus(HttpStatus.CREATED)
    List<DocumentView> createAll(ClientCaller caller,
            @PathVariable String collection, @RequestBody Map<String, Object> body) {
        permissions.require(caller, collection, "create");
        if (!(body.get("documents") instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidInputException("documents must be a non-empty list of objects");
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < batch(list.size(), "documents"); i++) {
            data.add(object(list.get(i), "documents[" + i + "]"));
        }
        return documents.createAll(caller.projectId(), collection, data, caller.ownerId()).stream()
                .map(document -> view(collection, document)).toList();
    }

    @PostMapping("/collections/{collection}/batch/documents/update")
    List<DocumentView> updateAll(ClientCaller caller,
            @PathVariable String collection, @RequestBody Map<String, Object> body) {
        String owner = permissions.require(caller, collection, "update");
        if (!(body.get("updates") instanceof Map<?, ?> updates) || updates.isEmpty()) {
            throw new InvalidInputException("updates must be a non-empty object of document id to fields");
        }
        batch(updates.size(), "updates");
        Map<String, Map<String, Object>> patches = new LinkedHashMap<>();
        updates.forEach((id, patch) -> patches.put(String.valueOf(id), object(patch, "updates." + id)));
        if (owner != null) {
            // in an owner-only collection the batch touches the caller's own documents and skips the others
            patches.keySet().retainAll(documents.ownedBy(caller.projectId(), collection,
                    List.copyOf(patches.keySet()), owner));
        }
        return documents.updateAll(caller.projectId(), collection, patches).stream()
                .map(document -> view(collection, permissions.writeAnswer(caller, collection, document,
                        patches.get(document.id()).keySet()))).toList();
    }

    @PostMapping("/collections/{collection}/batch/documents/delete")
    Count deleteAll(ClientCaller caller,
            @PathVariable String collection, @RequestBody Map<String, Object> body) {
        String owner = permissions.require(caller, collection, "delete");
        if (!(body.get("document_ids") instanceof List<?> ids) || ids.isEmpty()
                || !ids.stream().allMatch(id -> id instanceof String)) {
            throw new InvalidInputException("document_ids must be a non-empty list of document ids (strings)");
        }
        batch(ids.size(), "document_ids");
        List<String> chosen = ids.stream().map(String.class::cast).toList();
        if (owner != null) {
            chosen = documents.ownedBy(caller.projectId(), collection, chosen, owner);
        }
        return new Count(documents.deleteAll(caller.projectId(), collection, chosen));
    }

    @GetMapping("/collections/{collection}/query/documents/count")
    Count count(ClientCaller caller,
            @PathVariable String collection, @RequestParam MultiValueMap<String, String> params) {
        permissions.require(caller, collection, "read");
        return new Count(documents.count(caller.projectId(), collection, filters(params, DocumentRequests.PAGING)));
    }

    @GetMapping("/collections/{collection}/query/documents/aggregate")
    Aggregate aggregate(ClientCaller caller,
            @PathVariable String collection, @RequestParam MultiValueMap<String, String> params) {
        permissions.require(caller, collection, "read");
        String field = params.getFirst("field");
        if (field == null || field.isBlank()) {
            throw new InvalidInputException("field must name the data field to aggregate");
        }
        return new Aggregate(documents.aggregate(caller.projectId(), collection, field, params.getFirst("operation"),
                filters(params, AGGREGATE_PARAMS)));
    }

    static int batch(int size, String name) {
        if (size > MAX_BATCH) {
            throw new InvalidInputException(name + " has " + size + " entries; the limit is " + MAX_BATCH);
        }
        return size;
    }
}
