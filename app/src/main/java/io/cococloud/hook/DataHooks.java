package io.cococloud.hook;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.data.DocumentEvent;
import io.cococloud.data.DocumentHooks;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.UnavailableException;
import io.cococloud.function.FunctionEvents;

/**
 * The hooks around document writes (docs/hooks.md). Before-hooks run in the write, one after the other, each
 * seeing what the previous one made of the document, each bounded by {@code coco.hooks.before-timeout} (2 s): a
 * hook may answer {@code {"data": {...}}} to store other fields (not on a delete, which stores none),
 * {@code {"reject": "message"}} or a status of 400 or more to refuse the write with its message (400), and anything
 * else to let it through unchanged. A hook that
 * raises refuses the write (400, with its error); one that does not answer in time, or cannot run now, refuses it
 * with 503, so a broken hook never stalls writes and never lets one through unchecked. After-hooks are recorded in
 * the write's transaction ({@link HookOutbox}), and so are the collection's webhook deliveries
 * ({@link WebhookDeliveries}).
 */
@Component
class DataHooks implements DocumentHooks {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final HookService hooks;
    private final HookOutbox outbox;
    private final WebhookService webhooks;
    private final WebhookDeliveries deliveries;
    private final FunctionEvents functions;
    private final JsonMapper json;
    private final Duration beforeTimeout;

    DataHooks(HookService hooks, HookOutbox outbox, WebhookService webhooks, WebhookDeliveries deliveries,
            FunctionEvents functions, JsonMapper json, @Value("${coco.hooks.before-timeout:2s}") Duration beforeTimeout) {
        this.hooks = hooks;
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.functions = functions;
        this.json = json;
        this.beforeTimeout = beforeTimeout;
    }

    @Override
    public boolean watches(UUID projectId, String collection) {
        if (webhooks.of(projectId).containsKey(collection)) {
            return true;
        }
        for (Hook hook : hooks.of(projectId)) {
            if (hook.watchesDocuments(collection)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Map<String, Object> before(DocumentEvent event) {
        DocumentEvent current = event;
        for (Hook hook : hooks.of(event.projectId())) {
            if (hook.fires(Hook.BEFORE, current)) {
                Map<String, Object> fields = run(hook, current);
                // a delete stores no fields: a returned data is ignored, and the next hook sees what is deleted
                if (current.type() != DocumentEvent.Type.DELETE) {
                    current = current.withData(fields);
                }
            }
        }
        return current.data();
    }

    @Override
    public void after(DocumentEvent event) {
        for (Hook hook : hooks.of(event.projectId())) {
            if (hook.fires(Hook.AFTER, event)) {
                outbox.record(hook, event.projectId(), event);
            }
        }
        String webhook = webhooks.of(event.projectId()).get(event.collection());
        if (webhook != null) {
            deliveries.record(webhook, event);
        }
    }

    /** One before-hook's verdict: the fields to store, or a refusal thrown. */
    private Map<String, Object> run(Hook hook, DocumentEvent event) {
        FunctionEvents.Answer answer = functions.call(event.projectId(), hook.functionId(), HookOutbox.body(event),
                beforeTimeout);
        String who = "the before-hook (function " + hook.functionId() + ")";
        return switch (answer.kind()) {
            case GONE -> event.data();
            case TIMED_OUT -> throw new UnavailableException(who + " did not answer within "
                    + beforeTimeout.toMillis() / 1000.0 + " s, so the write was not made; try again")
                    .with("hook_id", hook.id().toString());
            case UNAVAILABLE -> throw new UnavailableException(who + " could not run now (" + answer.error()
                    + "), so the write was not made; try again").with("hook_id", hook.id().toString());
            case FAILED -> throw refused(hook, answer.error() == null ? who + " failed" : answer.error());
            case RETURNED -> verdict(hook, answer, event.data());
        };
    }

    private Map<String, Object> verdict(Hook hook, FunctionEvents.Answer answer, Map<String, Object> unchanged) {
        Object result = parse(answer.resultJson());
        if (answer.status() >= 400) {
            throw refused(hook, result instanceof String text ? text : result instanceof Map<?, ?> map
                    && map.get("reject") != null ? String.valueOf(map.get("reject"))
                    : answer.resultJson() == null ? "refused by a before-hook" : answer.resultJson());
        }
        if (result instanceof Map<?, ?> map) {
            if (map.get("reject") != null) {
                throw refused(hook, String.valueOf(map.get("reject")));
            }
            if (map.get("data") instanceof Map<?, ?>) {
                @SuppressWarnings("unchecked")
                Map<String, Object> data = (Map<String, Object>) map.get("data");
                return data;
            }
        }
        return unchanged;
    }

    private Object parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readValue(text, Object.class);
        } catch (JacksonException e) {
            return text;
        }
    }

    private static InvalidInputException refused(Hook hook, String message) {
        InvalidInputException refusal = new InvalidInputException(message);
        refusal.with("hook_id", hook.id().toString());
        return refusal;
    }
}
