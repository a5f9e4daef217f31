package io.cococloud.runtime;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits and sizes of the Python runtime ({@code coco.runtime.*}).
 *
 * @param concurrentCallsPerProject calls of one project running at once (and so its warm contexts), unless an
 *                                  instance administrator set another value for the project
 * @param queuedCallsPerProject     calls of one project waiting for a slot; one more gets 503 at once
 * @param queueTimeout              how long a queued call waits for a slot of its project before a 503
 * @param usesPerContext            calls after which a context is replaced (bounds leaks in user code)
 * @param idleTimeout               a context unused this long is closed; a project's last one too
 * @param outputLimit               bytes of print() output kept per call; more is an error
 * @param logLimit                  bytes of stderr/logging kept per call; more is cut
 * @param statementLimit            Python statements per call, counted afresh for each call; 0 (the
 *                                  default) leaves CPU to the timeout, which is the documented bound.
 *                                  A backstop for operators: it is fixed per context, whatever the
 *                                  function's timeout, so a high limit can cut a long legitimate call
 * @param maxRunningCalls           Python calls running at once across all projects; beyond it, 503 at once
 * @param stopGrace                 after a timeout, how long to wait for the call to stop before answering 504
 * @param heapLimit                 share of the max heap in use above which the call that allocated the most
 *                                  (a quarter of the heap or more since it started) is stopped, and share that may
 *                                  stay in use after a collection before the context that allocated the most
 *                                  since it was made is discarded
 * @param loadTimeout               how long loading a version into a context may take (its module-level code:
 *                                  importing a framework takes seconds); not part of any call's timeout
 * @param warmUpWait                how long a call waits for its version to load in a new context before a 503
 *                                  with Retry-After; the loading goes on, and a later call finds it warm
 * @param handOffSpin               when the server runs no other Python call and has fewer requests in flight than
 *                                  cores, how long a worker that has just finished a call quicker than this
 *                                  busy-waits for the next call, and the caller of a function whose last call was
 *                                  that quick busy-waits for its outcome, instead of parking: each saves a thread
 *                                  wake-up (~25 µs) per call; zero turns it off
 */
@ConfigurationProperties("coco.runtime")
public record RuntimeProperties(
        @DefaultValue("4") int concurrentCallsPerProject,
        @DefaultValue("100") int queuedCallsPerProject,
        @DefaultValue("10s") Duration queueTimeout,
        @DefaultValue("100000") int usesPerContext,
        @DefaultValue("10m") Duration idleTimeout,
        @DefaultValue("1048576") int outputLimit,
        @DefaultValue("262144") int logLimit,
        @DefaultValue("0") long statementLimit,
        @DefaultValue("64") int maxRunningCalls,
        @DefaultValue("2s") Duration stopGrace,
        @DefaultValue("0.5") double heapLimit,
        @DefaultValue("2m") Duration loadTimeout,
        @DefaultValue("30s") Duration warmUpWait,
        @DefaultValue("500us") Duration handOffSpin) {

    /** The one Spring binds (a record with a second constructor must name it). */
    @ConstructorBinding
    public RuntimeProperties {
    }

    /** With the default load timeout, warm-up wait and hand-off spin. */
    public RuntimeProperties(int concurrentCallsPerProject, int queuedCallsPerProject, Duration queueTimeout,
            int usesPerContext, Duration idleTimeout, int outputLimit, int logLimit, long statementLimit,
            int maxRunningCalls, Duration stopGrace, double heapLimit) {
        this(concurrentCallsPerProject, queuedCallsPerProject, queueTimeout, usesPerContext, idleTimeout,
                outputLimit, logLimit, statementLimit, maxRunningCalls, stopGrace, heapLimit, Duration.ofMinutes(2),
                Duration.ofSeconds(30), Duration.ofNanos(500_000));
    }
}
