package io.cococloud.function;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;


import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.runtime.Invocation;

/**
 * Accepts an async call (docs/functions.md): its record (status queued, the request to replay) and its task in
 * the queue are stored in one transaction before the caller hears 202, so an accepted call survives any restart.
 * {@link AsyncAttempts} runs it later.
 */
@Service
class AsyncInvocations {

    /** docs/functions.md#limits: the body of an asynchronous call. */
    static final int MAX_BODY_BYTES = 128 * 1024;

    private final JdbcClient db;
    private final TransactionTemplate transactions;
    private final SchedulerClient scheduler;
    private final AsyncQueueConfiguration.AsyncQueueRunner queue;
    private final CustomTask<Void> task;
    private final JsonMapper json;

    AsyncInvocations(JdbcClient db, PlatformTransactionManager transactionManager, SchedulerClient asyncSchedulerClient,
            AsyncQueueConfiguration.AsyncQueueRunner queue, CustomTask<Void> asyncInvocationTask, JsonMapper json) {
        this.db = db;
        this.transactions = new TransactionTemplate(transactionManager);
        this.scheduler = asyncSchedulerClient;
        this.queue = queue;
        this.task = asyncInvocationTask;
        this.json = json;
    }

    /** Stores the call and returns its execution id. */
    UUID accept(DeployedFunction function, Invocation invocation) {
        UUID id = FunctionExecutor.timeOrderedId();
        String request = json.writeValueAsString(AsyncRequest.of(invocation));
        Instant now = Instant.now();
        AsyncAttempts.CallId call = new AsyncAttempts.CallId(function.projectId(), function.id(), id);
        transactions.executeWithoutResult(status -> {
            db.sql("""
                    INSERT INTO executions (project_id, id, function_id, version, trigger, status, request, attempts,
                        created_at)
                    VALUES (?, ?, ?, ?, 'async', 'queued', ?::jsonb, 0, ?)""")
                    .params(function.projectId(), id, function.id(), function.version(), request, Timestamp.from(now))
                    .update();
            scheduler.schedule(task.instance(call.instance()), now);
        });
        // Committed now: a free worker of this node may take it at once. (The scheduler's own immediate execution
        // would look before the commit, and find nothing.)
        queue.wake();
        return id;
    }
}
