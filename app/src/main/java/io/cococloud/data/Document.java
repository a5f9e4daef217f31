package io.cococloud.data;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A stored document: its data fields, plus the columns the store keeps beside them. */
public record Document(String id, Map<String, Object> data, String ownerId, Instant createdAt, Instant updatedAt) {

    /** The shape functions see (docs/functions.md): data fields at top level with id and times. */
    public Map<String, Object> flat() {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("id", id);
        flat.putAll(data);
        flat.put("created_at", createdAt.toString());
        flat.put("updated_at", updatedAt.toString());
        return flat;
    }
}
