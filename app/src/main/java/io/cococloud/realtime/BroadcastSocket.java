package io.cococloud.realtime;

import java.time.Instant;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.cococloud.appuser.ClientCaller;

/**
 * {@code /realtime/broadcast}: {@code {"api_key", "user_id", "user_name"}} → {@code {"event": "connected",
 * "project_id", "user_id"}}; then each {@code {"type": "message", "data"}} a client sends reaches every broadcast
 * socket of the project (its sender too) as {@code {"type": "message", "user_id", "user_name", "timestamp", "data"}}.
 * The user is what the client says, unless it sent an access token: then it is that app user.
 */
@Component
class BroadcastSocket extends RealtimeSocket {

    private final RealtimeEvents events;

    BroadcastSocket(RealtimeSocketSupport support, RealtimeEvents events) {
        super(support);
        this.events = events;
    }

    @Override
    String prefix() {
        return "/realtime/broadcast";
    }

    @Override
    Subscription subscription(ClientCaller caller, String name, Map<String, Object> first) {
        return new Subscription(caller.projectId(), Subscription.Kind.BROADCAST, "", caller, Map.of(),
                userId(caller, first), text(first, "user_name"));
    }

    /** The signed-in app user's id, else what the client says. */
    static String userId(ClientCaller caller, Map<String, Object> first) {
        return caller.user() != null ? caller.user().id() : text(first, "user_id");
    }

    @Override
    Map<String, Object> subscribe(LiveConnection connection, Subscription subscription, Map<String, Object> first) {
        connections.subscribe(connection, subscription);
        return reply("event", "connected", "project_id", subscription.projectId().toString(), "user_id",
                subscription.userId());
    }

    @Override
    void received(LiveConnection connection, Map<String, Object> message) {
        if (!"message".equals(message.get("type"))) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, "Send {\"type\": \"message\", \"data\": ...}"
                    + " or {\"type\": \"ping\"}");
        }
        Subscription from = connection.subscription();
        events.publish(from.projectId(), from.topic(), Map.of("message", reply("type", "message", "user_id",
                from.userId(), "user_name", from.userName(), "timestamp", Instant.now().toString(), "data",
                message.get("data"))));
    }
}
