package io.cococloud.hook;

import static io.cococloud.jdbc.Timestamps.instant;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.cococloud.error.InvalidInputException;

/**
 * What a collection's webhook was sent and how it went, for the project's members to see why a receiver did not get
 * an event: the deliveries kept (pending ones, and finished ones for {@code coco.executions.retention}), newest first.
 */
@Component
class WebhookDeliveryHistory {

    static final int MAX_LIMIT = 200;
    /** Beyond this, paging by offset reads too much to be worth it; the retention keeps the list short anyway. */
    static final int MAX_OFFSET = 100_000;

    private final JdbcClient db;

    WebhookDeliveryHistory(JdbcClient db) {
        this.db = db;
    }

    /** One delivery; {@code next_attempt_at} only while it is pending. */
    record Delivery(long id, @JsonProperty("event_type") String eventType,
            @JsonProperty("document_id") String documentId, String url, String status, int attempts,
            @JsonProperty("last_status") Integer lastStatus, @JsonProperty("last_error") String lastError,
            @JsonProperty("next_attempt_at") Instant nextAttemptAt, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("finished_at") Instant finishedAt) {}

    List<Delivery> list(UUID projectId, String collection, int limit, int offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw InvalidInputException.atField("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0 || offset > MAX_OFFSET) {
            throw InvalidInputException.atField("offset", "offset must be between 0 and " + MAX_OFFSET);
        }
        return db.sql("""
                SELECT id, body::jsonb ->> 'event_type', body::jsonb ->> 'document_id', url, status, attempts,
                       last_status, last_error, next_attempt_at, created_at, finished_at
                FROM webhook_deliveries WHERE project_id = ? AND collection = ?
                ORDER BY id DESC LIMIT ? OFFSET ?""")
                .params(projectId, collection, limit, offset)
                .query((rs, row) -> {
                    String status = rs.getString(5);
                    return new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), status,
                            rs.getInt(6), (Integer) rs.getObject(7), rs.getString(8),
                            status.equals("pending") ? instant(rs.getTimestamp(9)) : null,
                            instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)));
                }).list();
    }
}
