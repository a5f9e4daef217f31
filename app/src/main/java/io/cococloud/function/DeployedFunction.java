package io.cococloud.function;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.cococloud.runtime.FunctionCode;

/** A function with the code of its deployed version: what an execution needs, cached in memory. */
record DeployedFunction(UUID projectId, UUID id, String name, int version, String code, String style,
        String handler, int timeoutSeconds, boolean requireAuth, boolean enabled) {

    FunctionCode functionCode() {
        String runStyle = style == null ? "main" : style;
        // "index.handler" names the method; the runtime falls back to app/application for a WSGI/ASGI app
        String entryName = handler != null && handler.contains(".") ? handler.substring(handler.lastIndexOf('.') + 1)
                : switch (runStyle) {
                    case "main", "handle" -> runStyle;
                    case "asgi" -> "app";
                    default -> "handler";
                };
        return new FunctionCode(projectId, id, name, version, runStyle, name + ".py", entryName,
                Map.of(name + ".py", code), Duration.ofSeconds(timeoutSeconds));
    }
}
