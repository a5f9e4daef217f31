package io.cococloud.function;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.cococloud.error.InvalidInputException;

/**
 * A function's {@code async_retries}: how many times a failed or timed-out async call is tried again (0 to 8,
 * default 3 as Function Compute's). Kept beside the function's other settings, in its own column.
 */
@Repository
class AsyncRetries {

    static final int DEFAULT = 3;
    static final int MAX = 8;

    private final JdbcClient db;

    AsyncRetries(JdbcClient db) {
        this.db = db;
    }

    int of(UUID projectId, UUID functionId) {
        return db.sql("SELECT async_retries FROM functions WHERE project_id = ? AND id = ?")
                .params(projectId, functionId).query(Integer.class).optional().orElse(DEFAULT);
    }

    /** Every function of a project: for listing them without a query each. */
    Map<UUID, Integer> ofProject(UUID projectId) {
        return db.sql("SELECT id, async_retries FROM functions WHERE project_id = ?").param(projectId)
                .query((rs, row) -> Map.entry(rs.getObject("id", UUID.class), rs.getInt("async_retries"))).list()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    void set(UUID projectId, UUID functionId, int retries) {
        if (retries < 0 || retries > MAX) {
            throw InvalidInputException.atField("async_retries", "async_retries must be between 0 and " + MAX);
        }
        db.sql("UPDATE functions SET async_retries = ? WHERE project_id = ? AND id = ?")
                .params(retries, projectId, functionId).update();
    }
}
