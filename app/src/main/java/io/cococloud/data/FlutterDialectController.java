package io.cococloud.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.appuser.ClientCaller;
import io.cococloud.error.InvalidInputException;

import static io.cococloud.data.DocumentRequests.data;
import static io.cococloud.data.DocumentRequests.object;
import static io.cococloud.data.DocumentRequests.view;

/**
 * The Flutter SDK's ({@code coco_base_flutter}) spellings of document writes that the JS SDK makes at other paths
 * (docs/client-api.md#the-flutter-sdks-dialect): create at {@code POST /collections/{c}/documents}, batch update
 * by {@code PATCH} with a list of {@code {id, ...fields}}, batch delete by {@code DELETE}. Same permissions,
 * limits and errors as {@link CollectionsController}, whose JS spellings stay as they are.
 */
@RestController
class FlutterDialectController {

    private final DocumentService documents;
    private final CollectionPermissions permissions;

    FlutterDialectController(DocumentService documents, CollectionPermissions permissions) {
        this.documents = documents;
        this.permissions = permissions;
    }

    /** What a batch did: how many it changed, and the ids it did not (absent, or another user's). */
    record BatchUpdated(int updated, int failed, List<String> errorIds) {}

    record BatchDeleted(int deleted, int failed, List<String> errorIds) {}

    @PostMapping("/collections/{collection}/documents")
    @ResponseStatus(HttpStatus.CREATED)
    DocumentView create(ClientCaller caller, @PathVariable String collection, @RequestBody Map<String, Object> body) {
        permissions.require(caller, collection, "create");
        return view(collection, documents.create(caller.projectId(), collection, data(body), caller.ownerId()));
    }

    /** {@code {"updates": [{"id": ..., field: value, ...}]}}: each entry's fields shallow-merged into its document. */
    @PatchMapping("/collections/{collection}/batch/documents/update")
    BatchUpdated updateAll(ClientCaller caller, @PathVariable String collection,
            @RequestBody Map<String, Object> body) {
        String owner = permissions.require(caller, collection, "update");
        if (!(body.get("updates") instanceof List<?> updates) || updates.isEmpty()) {
            throw new InvalidInputException("updates must be a non-empty list of {\"id\": ..., field: value} objects");
        }
        CollectionsController.batch(updates.size(), "updates");
        Map<String, Map<String, Object>> patches = new LinkedHashMap<>();
        for (int i = 0; i < updates.size(); i++) {
            Map<String, Object> fields = new LinkedHashMap<>(object(updates.get(i), "updates[" + i + "]"));
            if (!(fields.remove("id") instanceof String id) || id.isBlank()) {
                throw new InvalidInputException("updates[" + i + "].id must be the document's id, a string");
            }
            if (patches.put(id, fields) != null) {
                throw new InvalidInputException("updates names document " + id + " twice");
            }
        }
        List<String> asked = List.copyOf(patches.keySet());
        if (owner != null) {
            // as in the JS batch: an owner-only collection's batch touches the caller's own documents only
            patches.keySet().retainAll(documents.ownedBy(caller.projectId(), collection, asked, owner));
        }
        List<String> updated = documents.updateAll(caller.projectId(), collection, patches).stream()
                .map(Document::id).toList();
        List<String> failed = new ArrayList<>(asked);
        failed.removeAll(updated);
        return new BatchUpdated(updated.size(), failed.size(), failed);
    }

    /**
     * The ids come as {@code {"ids": [...]}} (what the SDK means to send) or {@code {"document_ids": [...]}} in the
     * body, or as {@code ?ids=a,b}. The SDK's Dio call drops the body of a DELETE, so from the SDK itself this
     * answers 400 naming the missing ids rather than guessing.
     */
    @DeleteMapping("/collections/{collection}/batch/documents/delete")
    BatchDeleted deleteAll(ClientCaller caller, @PathVariable String collection,
            @RequestBody(required = false) Map<String, Object> body,
            @RequestParam MultiValueMap<String, String> params) {
        String owner = permissions.require(caller, collection, "delete");
        List<String> asked = ids(body, params);
        CollectionsController.batch(asked.size(), "ids");
        List<String> chosen = owner == null ? asked
                : documents.ownedBy(caller.projectId(), collection, asked, owner);
        List<String> deleted = documents.deleteEach(caller.projectId(), collection, chosen);
        List<String> failed = new ArrayList<>(asked);
        failed.removeAll(deleted);
        return new BatchDeleted(deleted.size(), failed.size(), failed);
    }

    private static List<String> ids(Map<String, Object> body, MultiValueMap<String, String> params) {
        Object given = body == null ? null : body.containsKey("ids") ? body.get("ids") : body.get("document_ids");
        if (given == null && params.containsKey("ids")) {
            given = params.get("ids").stream().flatMap(value -> java.util.Arrays.stream(value.split(",")))
                    .map(String::strip).filter(id -> !id.isEmpty()).toList();
        }
        if (!(given instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(id -> id instanceof String)) {
            throw new InvalidInputException("ids must be a non-empty list of document ids: send {\"ids\": [...]} in"
                    + " the body or ?ids=a,b");
        }
        return List.copyOf(new LinkedHashSet<>(list.stream().map(String.class::cast).toList()));
    }
}
