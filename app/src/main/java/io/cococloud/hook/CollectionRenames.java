package io.cococloud.hook;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.cococloud.data.CollectionRenamed;
import io.cococloud.secret.SealedText;

/**
 * A renamed collection keeps its hooks and its webhook's deliveries: their rows name the collection as text (no
 * foreign key cascades to them), so they are moved here, in the rename's transaction. The webhook's row follows
 * by its foreign key, but its secret is sealed for the collection's name, so it is sealed again for the new one.
 */
@Component
class CollectionRenames {

    private final JdbcClient db;
    private final ApplicationEventPublisher events;
    private final SealedText sealed;

    CollectionRenames(JdbcClient db, ApplicationEventPublisher events, SealedText sealed) {
        this.db = db;
        this.events = events;
        this.sealed = sealed;
    }

    @EventListener
    void renamed(CollectionRenamed event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            // another node's rename, republished here: its rows moved there; the HooksChanged and WebhooksChanged
            // it published with them drop this node's caches
            return;
        }
        db.sql("UPDATE hooks SET collection = ? WHERE project_id = ? AND collection = ?")
                .params(event.to(), event.projectId(), event.from()).update();
        // delivered and failed ones too: they are the webhook's history, which follows it to the new name
        db.sql("UPDATE webhook_deliveries SET collection = ? WHERE project_id = ? AND collection = ?")
                .params(event.to(), event.projectId(), event.from()).update();
        // the row already carries the new name (ON UPDATE CASCADE, V24)
        db.sql("SELECT secret FROM collection_webhooks WHERE project_id = ? AND collection = ?")
                .params(event.projectId(), event.to()).query(String.class).optional().ifPresent(stored -> {
                    String secret = sealed.open(event.projectId(), WebhookService.purpose(event.from()), stored);
                    db.sql("UPDATE collection_webhooks SET secret = ? WHERE project_id = ? AND collection = ?")
                            .params(sealed.seal(event.projectId(), WebhookService.purpose(event.to()), secret),
                                    event.projectId(), event.to()).update();
                });
        // dropped here after the commit and on every other node
        events.publishEvent(new HooksChanged(event.projectId()));
        events.publishEvent(new WebhooksChanged(event.projectId()));
    }
}
