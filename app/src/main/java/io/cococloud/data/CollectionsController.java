package io.cococloud.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.web.ApiProblem;
import io.cococloud.web.ProblemType;

/**
 * The CocoBase client API's {@code /collections} (COCOBASE_COMPAT.md "Collections and documents"): documents of
 * the key's project, under the collection's permissions. Query parameters other than the paging ones are
 * filters in the language of FUNCTION_API.md §3.
 */
@RestController
class CollectionsController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_BATCH = 1000;
    /** Query parameters that are not filters. The SDK sends limit/offset even to count and aggregate. */
    private static final Set<String> PAGING = Set.of("limit", "offset", "sort", "order", "select", "populate");
    private static final Set<String> AGGREGATE_PARAMS = Set.of("field", "operation", "limit", "offset", "sort",
            "order", "select", "populate");

    private final DocumentService documents;
    private final CollectionPermissions permissions;
    private final Populator populator;

    CollectionsController(DocumentService documents, CollectionPermissions permissions, Populator populator) {
        this.documents = documents;
        this.permissions = permissions;
        this.populator = populator;
    }

    @PostMapping({"/collections", "/collections/"})
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> createCollection(ClientCaller caller, @RequestBody Map<String, Object> body) {
        if (!caller.server()) {
            throw ApiProblem.forbidden("Collections are created with a server key, not a client key");
        }
        if (!(body.get("name") instanceof String name)) {
            throw ApiProblem.badRequest("name must be the collection's name, a string");
        }
        for (String field : body.keySet()) {
            if (!field.equals("name") && !field.equals("permissions")) {
                throw ApiProblem.badRequest("Unknown field '" + field + "'");
            }
        }
        var created = documents.createCollection(caller.projectId(), name,
                CollectionPermissions.validate(body.get("permissions")))
                .orElseThrow(() -> ApiProblem.conflict("A collection named " + name + " exists already"));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", created.name());
        view.put("permissions", created.permissions());
        view.put("created_at", created.createdAt().toString());
        return view;
    }

    @PostMapping("/collections/documents")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> create(ClientCaller caller,
            @RequestParam(name = "collection", required = false) String collection,
            @RequestBody Map<String, Object> body) {
        if (collection == null || collection.isBlank()) {
            throw ApiProblem.badRequest("Name the collection in the query: ?collection=NAME");
        }
        permissions.require(caller, collection, "create");
        Document created = documents.create(caller.projectId(), collection, data(body), caller.ownerId());
        return view(collection, created);
    }

    @GetMapping("/collections/{collection}/documents")
    List<Map<String, Object>> list(ClientCaller caller,
            @PathVariable String collection, @RequestParam MultiValueMap<String, String> params) {
        permissions.require(caller, collection, "read");
        String select = params.getFirst("select");
        DocumentQuery query = new DocumentQuery(filters(params, PAGING), params.getFirst("sort"),
                params.getFirst("order"), integer(params, "limit", DEFAULT_LIMIT), integer(params, "offset", 0),
                select == null || select.isBlank() ? null
                        : Arrays.stream(select.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        List<Document> page = documents.query(caller.projectId(), collection, query).data();
        List<String> populate = populateEntries(params);
        if (populate.isEmpty()) {
            return page.stream().map(document -> view(collection, document)).toList();
        }
        // populate works on the fields as functions see them (id beside the data), then goes back into data
        List<Map<String, Object>> fields = page.stream().map(document -> {
            Map<String, Object> flat = new LinkedHashMap<>(document.data());
            flat.put("id", document.id());
            return flat;
        }).toList();
        populator.populate(caller.projectId(), collection, fields, populate);
        List<Map<String, Object>> views = new java.util.ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            Map<String, Object> data = new LinkedHashMap<>(fields.get(i));
            data.remove("id");
            Document d = page.get(i);
            views.add(view(collection, new Document(d.id(), data, d.ownerId(), d.createdAt(), d.updatedAt())));
        }
        return views;
    }

    /** populate=author&populate=category, or populate=author,category. */
    private static List<String> populateEntries(MultiValueMap<String, String> params) {
        List<String> entries = params.getOrDefault("populate", List.of()).stream()
                .flatMap(value -> Arrays.stream(value.split(","))).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        for (String entry : entries) {
            if (!entry.matches("[A-Za-z_][A-Za-z0-9_:.-]{0,200}")) {
                throw ApiProblem.badRequest("populate entry '" + entry + "' must be field names joined by dots");
            }
        }
        return entries;
    }

    @GetMapping("/collections/{collection}/documents/{id}")
    Map<String, Object> get(ClientCaller caller, @PathVariable String collection, @PathVariable String id) {
        permissions.require(caller, collection, "read");
        return view(collection, documents.get(caller.projectId(), collection, id)
                .orElseThrow(() -> notFound(collection, id)));
    }

    @PatchMapping("/collections/{collection}/documents/{id}")
    Map<String, Object> update(ClientCaller caller,
            @PathVariable String collection, @PathVariable String id, @RequestBody Map<String, Object> body) {
        permissions.require(caller, collection, "update");
        return view(collection, documents.update(caller.projectId(), collection, id, data(body))
                .orElseThrow(() -> notFound(collection, id)));
    }

    @PutMapping("/collections/{collection}/documents/{id}")
    Map<String, Object> replace(ClientCaller caller,
            @PathVariable String collection, @PathVariable String id, @RequestBody Map<String, Object> body) {
        permissions.require(caller, collection, "update");
        return view(collection, documents.replace(caller.projectId(), collection, id, data(body))
                .orElseThrow(() -> notFound(collection, id)));
    }

    @DeleteMapping("/collections/{collection}/documents/{id}")
    Map<String, Object> delete(ClientCaller caller, @PathVariable String collection, @PathVariable String id) {
        permissions.require(caller, collection, "delete");
        if (!documents.delete(caller.projectId(), collection, id)) {
            throw notFound(collection, id);
        }
        return Map.of("status", "success", "id", id);
    }

    @PostMapping("/collections/{collection}/batch/documents/create")
    @ResponseStatus(HttpStatus.CREATED)
    List<Map<String, Object>> createAll(ClientCaller caller,
            @PathVariable String collection, @RequestBody Map<String, Object> body) {
        permissions.require(caller, collection, "create");
        if (!(body.get("documents") instanceof List<?> list) || list.isEmpty()) {
            throw ApiProblem.badRequest("documents must be a non-empty list of objects");
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < batch(list.size(), "documents"); i++) {
            data.add(object(list.get(i), "documents[" + i + "]"));
        }
        return documents.createAll(caller.projectId(), collection, data, caller.ownerId()).stream()
                .map(document -> view(collection, document)).toList();
    }

    @PostMapping("/collections/{collection}/batch/documents/update")
    List<Map<String, Object>> updateAll(ClientCaller caller,
            @PathVariable String collection, @RequestBody Map<String, Object> body) {
        permissions.require(caller, collection, "update");
        if (!(body.get("updates") instanceof Map<?, ?> updates) || updates.isEmpty()) {
            throw ApiProblem.badRequest("updates must be a non-empty object of document id to fields");
        }
        batch(updates.size(), "updates");
        Map<String, Map<String, Object>> patches = new LinkedHashMap<>();
        updates.forEach((id, patch) -> patches.put(String.valueOf(id), object(patch, "updates." + id)));
        return documents.updateAll(caller.projectId(), collection, patches).stream()
                .map(document -> view(collection, document)).toList();
    }

    @PostMapping("/collections/{collection}/batch/documents/delete")
    Map<String, Object> deleteAll(ClientCaller caller,
            @PathVariable String collection, @RequestBody Map<String, Object> body) {
        permissions.require(caller, collection, "delete");
        if (!(body.get("document_ids") instanceof List<?> ids) || ids.isEmpty()
                || !ids.stream().allMatch(id -> id instanceof String)) {
            throw ApiProblem.badRequest("document_ids must be a non-empty list of document ids (strings)");
        }
        batch(ids.size(), "document_ids");
        return Map.of("count", documents.deleteAll(caller.projectId(), collection,
                ids.stream().map(String.class::cast).toList()));
    }

    @GetMapping("/collections/{collection}/query/documents/count")
    Map<String, Object> count(ClientCaller caller,
            @PathVariable String collection, @RequestParam MultiValueMap<String, String> params) {
        permissions.require(caller, collection, "read");
        return Map.of("count", documents.count(caller.projectId(), collection, filters(params, PAGING)));
    }

    @GetMapping("/collections/{collection}/query/documents/aggregate")
    Map<String, Object> aggregate(ClientCaller caller,
            @PathVariable String collection, @RequestParam MultiValueMap<String, String> params) {
        permissions.require(caller, collection, "read");
        String field = params.getFirst("field");
        if (field == null || field.isBlank()) {
            throw ApiProblem.badRequest("field must name the data field to aggregate");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("result", documents.aggregate(caller.projectId(), collection, field, params.getFirst("operation"),
                filters(params, AGGREGATE_PARAMS)));
        return result;
    }

    /** The data layer's refusals name what was wrong: they are the caller's 400s. */
    @ExceptionHandler(FilterException.class)
    ResponseEntity<ProblemDetail> refused(FilterException e, HttpServletRequest request) {
        ProblemDetail problem = ApiProblem.problem(ProblemType.VALIDATION, e.getMessage());
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static Map<String, Object> view(String collection, Document document) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", document.id());
        view.put("collection", collection);
        view.put("data", document.data());
        view.put("created_at", document.createdAt().toString());
        view.put("updated_at", document.updatedAt().toString());
        return view;
    }

    /** The {"data": {...}} of a single-document write. */
    private static Map<String, Object> data(Map<String, Object> body) {
        if (!body.containsKey("data")) {
            throw ApiProblem.badRequest("Send the document's fields as {\"data\": {...}}");
        }
        return object(body.get("data"), "data");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String name) {
        if (!(value instanceof Map<?, ?> map)) {
            throw ApiProblem.badRequest(name + " must be a JSON object of fields");
        }
        return (Map<String, Object>) map;
    }

    private static int batch(int size, String name) {
        if (size > MAX_BATCH) {
            throw ApiProblem.badRequest(name + " has " + size + " entries; the limit is " + MAX_BATCH);
        }
        return size;
    }

    /** The filters of a query string: every parameter but the given ones, each with its first value. */
    private static Map<String, Object> filters(MultiValueMap<String, String> params, Set<String> except) {
        Map<String, Object> filters = new LinkedHashMap<>();
        params.forEach((key, values) -> {
            if (!except.contains(key) && !values.isEmpty()) {
                filters.put(key, values.getFirst());
            }
        });
        return filters;
    }

    private static int integer(MultiValueMap<String, String> params, String name, int otherwise) {
        String value = params.getFirst(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static ApiProblem notFound(String collection, String id) {
        return ApiProblem.notFound("Document " + id + " of " + collection);
    }
}
