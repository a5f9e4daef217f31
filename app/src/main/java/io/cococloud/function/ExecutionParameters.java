package io.cococloud.function;

import io.cococloud.error.InvalidInputException;

/** The checks every execution list makes of its query parameters, with the same words. */
final class ExecutionParameters {

    private ExecutionParameters() {
    }

    static void check(String status, int limit) {
        if (status != null && !ExecutionLog.STATUSES.contains(status)) {
            throw new InvalidInputException("status must be one of " + String.join(", ", ExecutionLog.STATUSES))
                    .with("field", "status");
        }
        checkLimit(limit);
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit must be between 1 and 500").with("field", "limit");
        }
    }
}
