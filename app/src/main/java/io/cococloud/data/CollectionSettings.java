package io.cococloud.data;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A collection's declared settings, as stored in its row.
 *
 * @param permissions {@code {"create": [roles], "read": [...], "update": [...], "delete": [...], "owner_only": bool}}
 * @param relations   reference field → target: {@code {"author": {"collection": "users"}}}; "appuser" is the
 *                    project's app users
 * @param indexes     data fields given btree expression indexes for ranges and sorts
 * @param documentCount how many documents the collection holds, when the caller asked (else null)
 */
public record CollectionSettings(String name, Map<String, Object> permissions,
        Map<String, Map<String, String>> relations, List<String> indexes, Long documentCount, Instant createdAt,
        Instant updatedAt) {
}
