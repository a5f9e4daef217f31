package io.cococloud.function;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Service;

import io.cococloud.runtime.Invocation;
import io.cococloud.runtime.Outcome;
import io.cococloud.runtime.PythonRuntime;

/**
 * Runs a deployed function, queues the record of the call and counts it in the metrics; shared by every surface.
 * What the function answered passes {@link FunctionCookies} first, so the record's logs tell of any cookie it was
 * not allowed to set.
 */
@Service
class FunctionExecutor {

    private final PythonRuntime runtime;
    private final ExecutionLog executions;
    private final ExecutionMetrics metrics;

    FunctionExecutor(PythonRuntime runtime, ExecutionLog executions, ExecutionMetrics metrics) {
        this.runtime = runtime;
        this.executions = executions;
        this.metrics = metrics;
    }

    record Result(UUID executionId, Outcome outcome) {}

    Result run(DeployedFunction function, Invocation invocation, String trigger) {
        return run(function.projectId(), function.id(), function.version(), invocation, trigger);
    }

    /** A call of code that is no function of its own (a site's route): recorded under the code's id and version. */
    Result run(UUID projectId, UUID functionId, int version, Invocation invocation, String trigger) {
        Instant started = Instant.now();
        UUID id = timeOrderedId();
        Outcome outcome = call(invocation, id);
        executions.record(new ExecutionLog.Execution(projectId, id, functionId, version,
                trigger, status(outcome), outcome.status(), outcome.output(), outcome.logs(), outcome.error(),
                outcome.traceback(), outcome.nanos() / 1e6, started));
        return new Result(id, outcome);
    }

    /**
     * Runs one call as execution {@code id} without recording it: for callers that keep their own record (an async
     * call updates the row it stored when it was accepted).
     */
    Outcome call(Invocation invocation, UUID id) {
        Outcome outcome = FunctionCookies.screen(runtime.run(invocation.withRequestId(id.toString())),
                FunctionCookies.hostName(host(invocation)));
        metrics.record(invocation.function(), outcome);
        return outcome;
    }

    private static String host(Invocation invocation) {
        return invocation.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("Host")).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /**
     * A UUID version 7 (RFC 9562): milliseconds first, so records append to the primary key's
     * index instead of landing at random. Not a secret, so a fast random source is enough.
     */
    static UUID timeOrderedId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static String status(Outcome outcome) {
        return switch (outcome.kind()) {
            case TIMEOUT -> "timeout";
            case ENVELOPE, RAW -> outcome.status() < 400 ? "success" : "error";
            default -> "error";
        };
    }
}
