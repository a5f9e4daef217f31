package io.cococloud.function;

import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.cococloud.runtime.Invocation;
import io.cococloud.runtime.Outcome;
import io.cococloud.runtime.PythonRuntime;

/** Runs a deployed function and queues the record of the call; shared by every surface. */
@Service
class FunctionExecutor {

    private final PythonRuntime runtime;
    private final ExecutionLog executions;

    FunctionExecutor(PythonRuntime runtime, ExecutionLog executions) {
        this.runtime = runtime;
        this.executions = executions;
    }

    record Result(UUID executionId, Outcome outcome) {}

    Result run(DeployedFunction function, Invocation invocation, String trigger) {
        Instant started = Instant.now();
        Outcome outcome = runtime.run(invocation);
        UUID id = UUID.randomUUID();
        executions.record(new ExecutionLog.Execution(function.projectId(), id, function.id(), function.version(),
                trigger, status(outcome), outcome.status(), outcome.output(), outcome.logs(), outcome.error(),
                outcome.traceback(), outcome.nanos() / 1e6, started));
        return new Result(id, outcome);
    }

    private static String status(Outcome outcome) {
        return switch (outcome.kind()) {
            case TIMEOUT -> "timeout";
            case ENVELOPE, RAW -> outcome.status() < 400 ? "success" : "error";
            default -> "error";
        };
    }
}
