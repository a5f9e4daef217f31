package io.cococloud.function;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.runtime.FunctionCode;
import io.cococloud.runtime.Invocation;
import io.cococloud.runtime.Outcome;

/**
 * Runs a project's functions on the platform's events (hooks, docs/hooks.md) rather than on an HTTP request: the
 * event is the body of a POST to the function's path "/", as JSON, so {@code request.get}/{@code request.json()}
 * read it. Each run is an execution with trigger {@code hook}.
 */
@Service
public class FunctionEvents {

    static final String TRIGGER = "hook";

    private final JdbcClient db;
    private final FunctionRegistry registry;
    private final FunctionExecutor executor;
    private final SchedulerClient scheduler;
    private final CustomTask<Void> task;
    private final AsyncQueueConfiguration.AsyncQueueRunner queue;
    private final JsonMapper json;

    FunctionEvents(JdbcClient db, FunctionRegistry registry, FunctionExecutor executor,
            SchedulerClient asyncSchedulerClient, CustomTask<Void> asyncInvocationTask,
            AsyncQueueConfiguration.AsyncQueueRunner queue, JsonMapper json) {
        this.db = db;
        this.registry = registry;
        this.executor = executor;
        this.scheduler = asyncSchedulerClient;
        this.task = asyncInvocationTask;
        this.queue = queue;
        this.json = json;
    }

    /** What a synchronous run answered. */
    public record Answer(Kind kind, int status, String resultJson, String error) {
        public enum Kind {
            /** The function returned (status tells whether it refused: 400 or more). */
            RETURNED,
            /** It raised or answered something unreadable. */
            FAILED,
            /** It ran past the time it was given. */
            TIMED_OUT,
            /** It could not run now (the project's share is full, its code still loading, it is disabled). */
            UNAVAILABLE,
            /** The function was deleted (a hook of it was still cached): it has nothing to say. */
            GONE
        }
    }

    /** Whether the project has this function (for subscriptions; another project's function is none). */
    public boolean exists(UUID projectId, UUID functionId) {
        return function(projectId, functionId).isPresent();
    }

    /**
     * Queues a run of the function with {@code event} as its body, in the caller's transaction (so the call exists
     * exactly when what caused it committed), as an async call is queued: retried per the function's
     * {@code async_retries}. Returns the execution's id; the queue is woken once the transaction commits.
     */
    public UUID enqueue(UUID projectId, UUID functionId, Map<String, Object> event) {
        DeployedFunction function = function(projectId, functionId).orElse(null);
        UUID id = FunctionExecutor.timeOrderedId();
        Instant now = Instant.now();
        String request = json.writeValueAsString(AsyncRequest.of(invocation(function == null ? null
                : function.functionCode(), event)));
        db.sql("""
                INSERT INTO executions (project_id, id, function_id, version, trigger, status, request, attempts,
                    created_at)
                VALUES (?, ?, ?, ?, 'hook', 'queued', ?::jsonb, 0, ?)""")
                .params(projectId, id, functionId, function == null ? 0 : function.version(), request,
                        Timestamp.from(now))
                .update();
        scheduler.schedule(task.instance(new AsyncAttempts.CallId(projectId, functionId, id).instance()), now);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    queue.wake();
                }
            });
        } else {
            queue.wake();
        }
        return id;
    }

    /**
     * Runs the function now with {@code event} as its body, for at most {@code timeout} (or its own timeout, when
     * shorter), and records the run.
     */
    public Answer call(UUID projectId, UUID functionId, Map<String, Object> event, Duration timeout) {
        Optional<DeployedFunction> found = function(projectId, functionId);
        if (found.isEmpty()) {
            return new Answer(Answer.Kind.GONE, 404, null, "the function is gone");
        }
        if (!found.get().enabled()) {
            return new Answer(Answer.Kind.UNAVAILABLE, 503, null, "the function is disabled");
        }
        DeployedFunction function = found.get();
        FunctionCode own = function.functionCode();
        FunctionCode bounded = own.timeout().compareTo(timeout) <= 0 ? own : new FunctionCode(own.projectId(),
                own.functionId(), own.name(), own.version(), own.style(), own.entryFile(), own.entryName(),
                own.files(), timeout, own.tree(), own.layer());
        Outcome outcome = executor.run(function.projectId(), function.id(), function.version(),
                invocation(bounded, event), TRIGGER).outcome();
        return switch (outcome.kind()) {
            case ENVELOPE -> new Answer(Answer.Kind.RETURNED, outcome.status(), outcome.resultJson(), null);
            case RAW -> new Answer(Answer.Kind.RETURNED, outcome.status(), outcome.body() == null ? null
                    : new String(outcome.body(), java.nio.charset.StandardCharsets.UTF_8), null);
            case TIMEOUT -> new Answer(Answer.Kind.TIMED_OUT, 504, null, outcome.error());
            case BUSY -> new Answer(Answer.Kind.UNAVAILABLE, 503, null, outcome.error());
            case ERROR, BAD_RESPONSE -> new Answer(outcome.status() == 503 ? Answer.Kind.UNAVAILABLE
                    : Answer.Kind.FAILED, outcome.status(), null, outcome.error());
        };
    }

    private Optional<DeployedFunction> function(UUID projectId, UUID functionId) {
        return registry.byId(functionId).filter(f -> f.projectId().equals(projectId));
    }

    private Invocation invocation(FunctionCode code, Map<String, Object> event) {
        return new Invocation(code, null, "POST", "", "", "/", "",
                List.of(Map.entry("Content-Type", "application/json"), Map.entry("X-Coco-Trigger", TRIGGER)),
                List.of(), json.writeValueAsBytes(event), Map.of(), null, Invocation.Peer.LOCAL, null);
    }
}
