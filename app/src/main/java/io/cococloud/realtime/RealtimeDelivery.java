package io.cococloud.realtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.socket.CloseStatus;

import io.cococloud.data.CollectionPermissions;
import jakarta.annotation.PreDestroy;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers each published event to this node's subscribers of its topic: after the commit here, and as soon as the
 * notification arrives on the other nodes. The work (reading the row, matching filters, queueing on sockets) runs on
 * two threads of its own, never on the writer's request or on the cluster listener; each project may have a bounded
 * number of events waiting, and one that floods past it has its subscribers here closed (4500, reconnect and read
 * again) rather than delay every other project's.
 */
@Component
class RealtimeDelivery {

    private static final Logger log = LoggerFactory.getLogger(RealtimeDelivery.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final String COLLECTION = "collection:";

    private final LiveConnections connections;
    private final RealtimeEvents events;
    private final RealtimeFilters filters;
    private final CollectionPermissions permissions;
    private final RealtimeProperties settings;
    private final JsonMapper json;
    private final Map<UUID, AtomicInteger> pending = new ConcurrentHashMap<>();
    /**
     * Two lanes of one thread each; a project always takes the same lane, so its events are delivered in the order
     * they were published (commit order here, notification order from other nodes), while another project's may
     * go ahead on the other lane.
     */
    private final ThreadPoolExecutor[] lanes = new ThreadPoolExecutor[] {lane(0), lane(1)};

    RealtimeDelivery(LiveConnections connections, RealtimeEvents events, RealtimeFilters filters,
            CollectionPermissions permissions, RealtimeProperties settings, JsonMapper json) {
        this.connections = connections;
        this.events = events;
        this.filters = filters;
        this.permissions = permissions;
        this.settings = settings;
        this.json = json;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void published(RealtimeEventPublished event) {
        Set<LiveConnection> targets = Set.copyOf(connections.subscribers(event.projectId(), event.topic()));
        if (targets.isEmpty()) {
            return;
        }
        AtomicInteger waiting = pending.computeIfAbsent(event.projectId(), project -> new AtomicInteger());
        if (waiting.incrementAndGet() > settings.maxPendingPerProject()) {
            waiting.decrementAndGet();
            fellBehind(event, targets);
            return;
        }
        try {
            lanes[Math.floorMod(event.projectId().hashCode(), lanes.length)].execute(() -> {
                try {
                    deliver(event, targets);
                } catch (RuntimeException e) {
                    log.warn("Realtime: an event of project {} was not delivered: {}", event.projectId(), e.toString());
                } finally {
                    waiting.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet();
            fellBehind(event, targets);
        }
    }

    private void fellBehind(RealtimeEventPublished event, Set<LiveConnection> targets) {
        log.warn("Realtime: project {} has more than {} events waiting here; its subscribers of {} reconnect",
                event.projectId(), settings.maxPendingPerProject(), event.topic());
        targets.forEach(c -> c.close(new CloseStatus(ChannelRefusal.FELL_BEHIND,
                "too many events at once; reconnect and read again")));
    }

    /**
     * {@code subscribed}: the subscribers when the event was published (a socket that subscribes later does not get
     * what happened before it), less those that have closed since.
     */
    private void deliver(RealtimeEventPublished event, Set<LiveConnection> subscribed) {
        Set<LiveConnection> current = connections.subscribers(event.projectId(), event.topic());
        List<LiveConnection> targets = subscribed.stream().filter(current::contains).toList();
        if (targets.isEmpty()) {
            return;
        }
        Optional<String> stored = events.body(event.projectId(), event.eventId());
        if (stored.isEmpty()) {
            return;
        }
        Map<String, Object> body = json.readValue(stored.get(), MAP);
        if (event.topic().startsWith(COLLECTION)) {
            deliverChange(event.projectId(), event.topic().substring(COLLECTION.length()), body, targets);
        } else {
            String text = json.writeValueAsString(body.get("message"));
            Object except = body.get("except");
            targets.stream().filter(c -> except == null || !except.equals(c.id.toString())).forEach(c -> c.deliver(text));
        }
    }

    /** A document change: to each watcher that may read the collection and whose filter the document matches. */
    @SuppressWarnings("unchecked")
    private void deliverChange(UUID projectId, String collection, Map<String, Object> body,
            List<LiveConnection> targets) {
        String type = (String) body.get("type");
        String id = (String) body.get("document_id");
        Map<String, Object> data = (Map<String, Object>) body.get("data");
        Map<String, Object> oldData = (Map<String, Object>) body.get("old_data");
        List<LiveConnection> readers = targets.stream().filter(c -> permissions.mayRead(projectId,
                c.subscription().caller().reader(), collection)).toList();
        if (readers.isEmpty()) {
            return;
        }
        List<Map<String, Object>> distinct = new ArrayList<>(readers.stream()
                .map(c -> c.subscription().filters()).distinct().toList());
        boolean[] matched = filters.matches(distinct, id, data, "update".equals(type) ? oldData : null);

        Map<String, Object> message = new LinkedHashMap<>();
        message.put("event", type);
        message.put("collection_id", collection);
        message.put("document_id", id);
        message.put("data", withId(id, data));
        if ("update".equals(type) && oldData != null) {
            message.put("old_data", withId(id, oldData));
        }
        String text = json.writeValueAsString(message);
        for (LiveConnection reader : readers) {
            if (matched[distinct.indexOf(reader.subscription().filters())]) {
                reader.deliver(text);
            }
        }
    }

    private static Map<String, Object> withId(String id, Map<String, Object> fields) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", id);
        if (fields != null) {
            fields.forEach(shown::putIfAbsent);
        }
        return shown;
    }

    private static ThreadPoolExecutor lane(int n) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000),
                Thread.ofPlatform().name("realtime-delivery-" + n).daemon().factory());
    }

    @PreDestroy
    void stop() {
        for (ThreadPoolExecutor lane : lanes) {
            lane.shutdownNow();
        }
    }
}
