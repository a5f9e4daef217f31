package io.cococloud.realtime;

import java.time.Instant;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.cococloud.appuser.ClientCaller;

/**
 * {@code /realtime/rooms/{id}}: {@code {"api_key", "user_id", "user_name", "action": "create"|"join", "room_title"?}}
 * → {@code {"event": "joined", "room_id", "room_title", "participants", "user_id"}}; the others in the room get
 * {@code {"type": "user_joined", ...}}, and {@code user_left} when a socket closes. Each {@code {"type": "message",
 * "content"}} reaches everyone in the room (its sender too) as {@code {"type": "message", "user_id", "user_name",
 * "content", "timestamp", "room_info"}}. Joining a room that does not exist is refused (4404).
 */
@Component
class RoomSocket extends RealtimeSocket {

    private final RealtimeRooms rooms;
    private final RealtimeEvents events;

    RoomSocket(RealtimeSocketSupport support, RealtimeRooms rooms, RealtimeEvents events) {
        super(support);
        this.rooms = rooms;
        this.events = events;
    }

    @Override
    String prefix() {
        return "/realtime/rooms/";
    }

    @Override
    Subscription subscription(ClientCaller caller, String name, Map<String, Object> first) {
        if (!RealtimeRooms.ROOM_ID.matcher(name).matches()) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, "A room id is 1 to 128 letters, digits or _ . : @ -")
                    .with("room_id", name);
        }
        String action = text(first, "action");
        if (action != null && !action.equals("create") && !action.equals("join")) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, "action must be \"create\" or \"join\", not \""
                    + action + "\"");
        }
        text(first, "room_title");
        return new Subscription(caller.projectId(), Subscription.Kind.ROOM, name, caller, Map.of(),
                BroadcastSocket.userId(caller, first), text(first, "user_name"));
    }

    @Override
    Map<String, Object> subscribe(LiveConnection connection, Subscription subscription, Map<String, Object> first) {
        RealtimeRooms.Room room;
        if ("create".equals(first.get("action"))) {
            String title = text(first, "room_title");
            room = rooms.create(subscription.projectId(), subscription.name(),
                    title == null || title.isBlank() ? subscription.name() : title, subscription.userId());
        } else {
            room = rooms.find(subscription.projectId(), subscription.name()).orElseThrow(() -> new ChannelRefusal(
                    ChannelRefusal.NOT_FOUND, "Room not found").with("room_id", subscription.name()));
        }
        connections.subscribe(connection, subscription);
        long participants = rooms.participants(subscription.projectId(), room.id());
        publish(subscription, Map.of("message", event("user_joined", subscription, room, participants),
                "except", connection.id.toString()));
        return reply("event", "joined", "room_id", room.id(), "room_title", room.title(), "participants",
                participants, "user_id", subscription.userId());
    }

    @Override
    void received(LiveConnection connection, Map<String, Object> message) {
        if (!"message".equals(message.get("type"))) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, "Send {\"type\": \"message\", \"content\": ...}"
                    + " or {\"type\": \"ping\"}");
        }
        Subscription from = connection.subscription();
        RealtimeRooms.Room room = rooms.find(from.projectId(), from.name()).orElseThrow(() -> new ChannelRefusal(
                ChannelRefusal.NOT_FOUND, "Room not found").with("room_id", from.name()));
        Map<String, Object> sent = reply("type", "message", "user_id", from.userId(), "user_name", from.userName(),
                "content", message.get("content"), "timestamp", Instant.now().toString(), "room_info",
                reply("id", room.id(), "title", room.title()));
        publish(from, Map.of("message", sent));
    }

    @Override
    void left(LiveConnection connection) {
        Subscription who = connection.subscription();
        rooms.find(who.projectId(), who.name()).ifPresent(room -> publish(who, Map.of("message",
                event("user_left", who, room, rooms.participants(who.projectId(), room.id())))));
    }

    private void publish(Subscription subscription, Map<String, Object> body) {
        events.publish(subscription.projectId(), subscription.topic(), body);
    }

    private static Map<String, Object> event(String type, Subscription who, RealtimeRooms.Room room,
            long participants) {
        return reply("type", type, "user_id", who.userId(), "user_name", who.userName(), "timestamp",
                Instant.now().toString(), "room_info", reply("id", room.id(), "title", room.title(), "participants",
                        participants));
    }
}
