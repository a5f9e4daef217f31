package io.cococloud.runtime;

import java.time.Duration;
import java.util.UUID;

/** One deployed version of a function: what the runtime needs to load and run it. */
public record FunctionCode(UUID projectId, UUID functionId, String name, int version, String code,
        Duration timeout) {

    /** Identifies this version inside a context: a new version is a new module. */
    String key() {
        return functionId + ":" + version;
    }
}
