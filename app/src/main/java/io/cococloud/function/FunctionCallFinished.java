package io.cococloud.function;

import java.util.UUID;

/**
 * Published when a queued call (async or hook) has ended for good: no attempt of it is left. What waits for it (the
 * next event of the same document, for a hook) may go now. Published on the node that ran the last attempt only.
 */
public record FunctionCallFinished(UUID projectId, UUID executionId) {
}
