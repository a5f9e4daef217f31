package io.cococloud.hook;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.cococloud.appuser.AppUserChanged;
import io.cococloud.data.DatabaseCalls;

/**
 * After-hooks on app users (users.create|login|update|delete, docs/hooks.md): the event is recorded in the change's
 * transaction, through the same outbox as documents' (ordered per user). A function's own {@code db} changes of
 * users do not run its own hooks.
 */
@Component
class UserHooks {

    private final HookService hooks;
    private final HookOutbox outbox;
    private final TransactionTemplate transactions;

    UserHooks(HookService hooks, HookOutbox outbox, PlatformTransactionManager transactionManager) {
        this.hooks = hooks;
        this.outbox = outbox;
        // joins the change's transaction; a login has none, and its event's lock and rows need one
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @EventListener
    void userChanged(AppUserChanged change) {
        String name = change.type().eventName();
        java.util.UUID writer = DatabaseCalls.callingFunction();
        for (Hook hook : hooks.of(change.projectId())) {
            if (hook.timing().equals(Hook.AFTER) && hook.events().contains(name)
                    && !hook.functionId().equals(writer)) {
                transactions.executeWithoutResult(status -> outbox.record(hook, change.projectId(),
                        "users/" + change.userId(), body(change)));
            }
        }
    }

    static Map<String, Object> body(AppUserChanged change) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_type", change.type().eventName());
        body.put("user_id", change.userId());
        body.put("data", change.user());
        body.put("old_data", change.oldUser());
        body.put("created_at", change.at().toString());
        return body;
    }
}
