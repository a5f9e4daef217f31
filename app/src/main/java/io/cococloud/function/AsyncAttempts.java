package io.cococloud.function;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.github.kagkarlsson.scheduler.exceptions.ExecutionException;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.runtime.Outcome;

/**
 * One attempt of an async call, as the queue hands it over: marks the record running, runs the function's
 * deployed version through the runtime (the project's fairness limits apply as to every call), and records what
 * it answered. A failed attempt (error, status 500 or more, bad response) or a timed-out one is tried again after
 * a doubling delay ({@code retry-backoff}, 2x, 4x... at most {@code max-backoff}) until the function's
 * {@code async_retries} are used up; a BUSY outcome (the project's share is full) is tried again soon and does not
 * count. A 4xx answer is the function's own verdict and is not retried.
 */
@Component
class AsyncAttempts {

    private static final Logger log = LoggerFactory.getLogger(AsyncAttempts.class);
    private static final Duration BUSY_DELAY = Duration.ofSeconds(1);

    private final JdbcClient db;
    private final FunctionRegistry registry;
    private final FunctionExecutor executor;
    private final ExecutionResponses responses;
    private final AsyncRetries retries;
    private final JsonMapper json;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final ApplicationEventPublisher events;

    AsyncAttempts(JdbcClient db, FunctionRegistry registry, FunctionExecutor executor, ExecutionResponses responses,
            AsyncRetries retries, JsonMapper json, @Value("${coco.async.retry-backoff:1s}") Duration backoff,
            @Value("${coco.async.max-backoff:5m}") Duration maxBackoff, ApplicationEventPublisher events) {
        this.events = events;
        this.db = db;
        this.registry = registry;
        this.executor = executor;
        this.responses = responses;
        this.retries = retries;
        this.json = json;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
    }

    /** The task instance of a call: its project, function and execution, in that order. */
    record CallId(UUID projectId, UUID functionId, UUID executionId) {
        static CallId parse(String instance) {
            String[] parts = instance.split("/");
            return new CallId(UUID.fromString(parts[0]), UUID.fromString(parts[1]), UUID.fromString(parts[2]));
        }

        String instance() {
            return projectId + "/" + functionId + "/" + executionId;
        }
    }

    /** The HTTP answer an attempt gave, as the execution record shows it. */
    /** @param truncated the body was longer than {@link #MAX_STORED_BODY_BYTES} and only its start is kept */
    record Answer(int status, Map<String, String> headers, String body, String bodyBase64, boolean truncated) {}

    /** What is kept of an answer's body in the record: the rest of a larger one is dropped, and said so. */
    static final int MAX_STORED_BODY_BYTES = 1024 * 1024;

    private record Claimed(int attempt, String requestJson) {}

    /**
     * What one attempt left: its number and outcome, the answer it gave (null when the function never ran), the
     * version that ran, and when the next attempt runs (null: none, the status is final).
     */
    private record Attempt(int number, String status, Integer httpStatus, String output, String logs, String error,
            String traceback, double durationMs, Instant started, Answer answer, Integer version, Instant next) {

        /** An attempt that ended before the function ran, for the reason given. */
        static Attempt refused(int number, Instant started, String why) {
            return new Attempt(number, "error", null, null, null, why, null, 0, started, null, null, null);
        }
    }

    CompletionHandler<Void> run(String instance) {
        CallId call = CallId.parse(instance);
        Optional<Claimed> claimed = claim(call);
        if (claimed.isEmpty()) {
            return dropped(); // finished already (by an attempt whose node died before telling the queue) or dropped
        }
        int attempt = claimed.get().attempt();
        int allowed = 1 + retries.of(call.projectId(), call.functionId());
        Instant started = Instant.now();
        if (attempt > allowed) {
            // Only an attempt that never finished gets here: its node died (killed, out of memory) mid-call.
            return finish(call, Attempt.refused(attempt - 1, started, "The server running attempt " + (attempt - 1)
                    + " stopped before it finished, and no attempts are left")) ? done() : dropped();
        }
        Optional<DeployedFunction> function = registry.byId(call.functionId())
                .filter(f -> f.projectId().equals(call.projectId()));
        if (function.isEmpty() || !function.get().enabled()) {
            return finish(call, Attempt.refused(attempt, started,
                    function.isEmpty() ? "Function not found" : "Function is disabled")) ? done() : dropped();
        }
        AsyncRequest request = json.readValue(claimed.get().requestJson(), AsyncRequest.class);
        Outcome outcome = executor.call(request.invocation(function.get().functionCode()), call.executionId());
        if (outcome.kind() == Outcome.Kind.BUSY) {
            Instant next = Instant.now().plus(BUSY_DELAY)
                    .plusMillis(ThreadLocalRandom.current().nextLong(BUSY_DELAY.toMillis()));
            // The record says why it waits; the next attempt's own answer replaces that.
            int updated = db.sql("""
                    UPDATE executions SET status = 'queued', attempts = attempts - 1, next_attempt_at = ?, error = ?
                    WHERE project_id = ? AND id = ?""")
                    .params(Timestamp.from(next), clean(outcome.error()), call.projectId(), call.executionId())
                    .update();
            return updated == 0 ? dropped() : (complete, operations) -> operations.reschedule(complete, next);
        }
        ExecutionResponses.Rendered rendered = responses.render(outcome);
        String status = outcome.kind() == Outcome.Kind.TIMEOUT ? "timeout"
                : outcome.kind() == Outcome.Kind.ENVELOPE || outcome.kind() == Outcome.Kind.RAW
                        ? rendered.status() < 400 ? "success" : "error"
                        : "error";
        boolean failed = outcome.kind() == Outcome.Kind.TIMEOUT || outcome.kind() == Outcome.Kind.ERROR
                || rendered.status() >= 500;
        Instant next = failed && attempt < allowed ? Instant.now().plus(delayAfter(attempt)) : null;
        boolean recorded = finish(call, new Attempt(attempt, status, rendered.status(), outcome.output(),
                outcome.logs(), outcome.error(), outcome.traceback(), outcome.nanos() / 1e6, started,
                answer(rendered), function.get().version(), next));
        if (!recorded) {
            return dropped();
        }
        if (next != null) {
            return (complete, operations) -> operations.reschedule(complete, next);
        }
        return done();
    }

    /** The delay before attempt {@code attempt + 1}: backoff, doubling per attempt, at most maxBackoff. */
    Duration delayAfter(int attempt) {
        Duration delay = backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    /** Marks the call running and counts the attempt; empty when it is no longer waiting to run. */
    private Optional<Claimed> claim(CallId call) {
        return db.sql("""
                UPDATE executions SET status = 'running', attempts = attempts + 1, started_at = now(),
                    next_attempt_at = NULL
                WHERE project_id = ? AND id = ? AND status IN ('queued', 'running') AND request IS NOT NULL
                RETURNING attempts, request""")
                .params(call.projectId(), call.executionId())
                .query((rs, row) -> new Claimed(rs.getInt("attempts"), rs.getString("request"))).optional();
    }

    /** One element of an execution's attempt_history, as the admin API shows it. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"attempt", "status", "http_status", "error", "started_at", "duration_ms"})
    record HistoryEntry(int attempt, String status, @JsonProperty("http_status") Integer httpStatus, String error,
            @JsonProperty("started_at") String startedAt, @JsonProperty("duration_ms") double durationMs) {}

    /**
     * Records an attempt. With a next attempt the call is queued again (the request stays); otherwise its status
     * is final and the stored request is dropped. False when the record is gone (its function or project was
     * deleted meanwhile).
     */
    private boolean finish(CallId call, Attempt attempt) {
        Instant next = attempt.next();
        var entry = new HistoryEntry(attempt.number(), attempt.status(), attempt.httpStatus(), clean(attempt.error()),
                attempt.started().toString(), attempt.durationMs());
        int updated = db.sql("""
                UPDATE executions SET status = ?, attempts = ?, http_status = ?, output = ?, logs = ?, error = ?,
                    traceback = ?, duration_ms = ?, version = coalesce(?, version), result = ?::jsonb,
                    attempt_history = coalesce(attempt_history, '[]'::jsonb) || jsonb_build_array(?::jsonb),
                    next_attempt_at = ?, finished_at = ?, request = CASE WHEN ? THEN request END
                WHERE project_id = ? AND id = ?""")
                .params(next != null ? "queued" : attempt.status(), attempt.number(), attempt.httpStatus(),
                        clean(attempt.output()), clean(attempt.logs()), clean(attempt.error()),
                        clean(attempt.traceback()), attempt.durationMs(), attempt.version(),
                        attempt.answer() == null ? null : json.writeValueAsString(attempt.answer()),
                        json.writeValueAsString(entry), next == null ? null : Timestamp.from(next),
                        next == null ? Timestamp.from(Instant.now()) : null, next != null, call.projectId(),
                        call.executionId())
                .update();
        if (next == null && updated > 0) {
            // what waits for this call's end (a hook's next event of the same document) may go
            events.publishEvent(new FunctionCallFinished(call.projectId(), call.executionId()));
        }
        if (next == null && !"success".equals(attempt.status())) {
            log.debug("Async call {} ended {} after {} attempts: {}", call.executionId(), attempt.status(),
                    attempt.number(), attempt.error());
        }
        return updated > 0;
    }

    private static Answer answer(ExecutionResponses.Rendered rendered) {
        byte[] whole = rendered.body() == null ? new byte[0] : rendered.body();
        boolean truncated = whole.length > MAX_STORED_BODY_BYTES;
        byte[] body = truncated ? Arrays.copyOf(whole, MAX_STORED_BODY_BYTES) : whole;
        try {
            // a cut may split a UTF-8 sequence: then the kept start is stored as bytes
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
            if (text.indexOf('\0') < 0) { // jsonb cannot hold U+0000
                return new Answer(rendered.status(), rendered.headers(), text, null, truncated);
            }
        } catch (CharacterCodingException notText) {
            // bytes that are not UTF-8 text: base64
        }
        return new Answer(rendered.status(), rendered.headers(), null, Base64.getEncoder().encodeToString(body),
                truncated);
    }

    /** PostgreSQL text cannot hold NUL characters, which Python output may contain. */
    private static String clean(String text) {
        return text == null ? null : text.replace('\0', '\uFFFD');
    }

    private static CompletionHandler<Void> done() {
        return (complete, operations) -> operations.remove();
    }

    /**
     * The record is gone: its function or project was deleted while the attempt ran, and the deletion took the
     * call's task with it (V13's trigger). Nothing is left to remove.
     */
    private static CompletionHandler<Void> dropped() {
        return (complete, operations) -> {
            try {
                operations.remove();
            } catch (ExecutionException alreadyGone) {
                log.debug("Async call {} was dropped while it ran", complete.getExecution().taskInstance.getId());
            }
        };
    }
}
