package io.cococloud.function;

import java.time.Duration;
import java.util.UUID;

import io.cococloud.runtime.FunctionCode;

/** A function with the code of its deployed version: what an execution needs, cached in memory. */
record DeployedFunction(UUID projectId, UUID id, String name, int version, String code, String style,
        String handler, int timeoutSeconds, boolean requireAuth, boolean enabled) {

    FunctionCode functionCode() {
        return FunctionCode.mainFunction(projectId, id, name, version, code, Duration.ofSeconds(timeoutSeconds));
    }
}
