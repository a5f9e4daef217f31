package io.cococloud.project;

/**
 * What an instance administrator set for one project's share of the Python runtime; a null field means the
 * server's default.
 *
 * @param concurrentCalls calls of the project running at once
 * @param queuedCalls     calls of the project waiting for a slot before more are refused
 */
public record CallLimitOverrides(Integer concurrentCalls, Integer queuedCalls) {

    public static final CallLimitOverrides NONE = new CallLimitOverrides(null, null);
}
