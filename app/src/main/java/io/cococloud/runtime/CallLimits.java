package io.cococloud.runtime;

/**
 * A project's share of the runtime.
 *
 * @param concurrent calls of the project running at once (and so its warm contexts)
 * @param queued     calls of the project waiting for a slot; one more is refused at once
 */
record CallLimits(int concurrent, int queued) {
}
