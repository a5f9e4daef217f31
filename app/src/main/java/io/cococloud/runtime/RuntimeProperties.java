package io.cococloud.runtime;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits and sizes of the Python runtime ({@code coco.runtime.*}).
 *
 * @param contextsPerProject warm contexts a project may have at once (its concurrency)
 * @param queueTimeout       how long a call waits for a free context before a 503
 * @param usesPerContext     calls after which a context is replaced (bounds leaks in user code)
 * @param idleTimeout        a context unused this long is closed; a project's last one too
 * @param outputLimit        bytes of print() output kept per call; more is an error
 * @param logLimit           bytes of stderr/logging kept per call; more is cut
 * @param statementLimit     Python statements per call, counted afresh for each call; 0 (the
 *                           default) leaves CPU to the timeout, which is the documented bound.
 *                           A backstop for operators: it is fixed per context, whatever the
 *                           function's timeout, so a high limit can cut a long legitimate call
 * @param workerThreads      Python calls running at once across all projects
 * @param stopGrace          after a timeout, how long to wait for the call to stop
 * @param heapLimit          share of the max heap in use above which the call that allocated the most
 *                           (a quarter of the heap or more since it started) is stopped
 */
@ConfigurationProperties("coco.runtime")
public record RuntimeProperties(
        @DefaultValue("4") int contextsPerProject,
        @DefaultValue("10s") Duration queueTimeout,
        @DefaultValue("10000") int usesPerContext,
        @DefaultValue("10m") Duration idleTimeout,
        @DefaultValue("1048576") int outputLimit,
        @DefaultValue("262144") int logLimit,
        @DefaultValue("0") long statementLimit,
        @DefaultValue("64") int workerThreads,
        @DefaultValue("2s") Duration stopGrace,
        @DefaultValue("0.5") double heapLimit) {
}
