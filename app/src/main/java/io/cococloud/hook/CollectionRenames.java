package io.cococloud.hook;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.cococloud.data.CollectionRenamed;

/**
 * A renamed collection keeps its hooks and its webhook's deliveries: their rows name the collection as text (no
 * foreign key cascades to them), so they are moved here, in the rename's transaction.
 */
@Component
class CollectionRenames {

    private final JdbcClient db;
    private final ApplicationEventPublisher events;

    CollectionRenames(JdbcClient db, ApplicationEventPublisher events) {
        this.db = db;
        this.events = events;
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
        // dropped here after the commit and on every other node
        events.publishEvent(new HooksChanged(event.projectId()));
        events.publishEvent(new WebhooksChanged(event.projectId()));
    }
}
