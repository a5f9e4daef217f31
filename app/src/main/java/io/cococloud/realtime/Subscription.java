package io.cococloud.realtime;

import java.util.Map;
import java.util.UUID;

import io.cococloud.appuser.ClientCaller;

/**
 * What an authenticated socket listens to, and as whom.
 *
 * @param topic    {@code collection:<name>}, {@code broadcast} or {@code room:<id>}
 * @param name     the collection's name or the room's id ({@code ""} for the broadcast)
 * @param filters  a collection watch's filters (the client API's filter language); empty otherwise
 * @param userId   the user a broadcast or room message is from: the signed-in app user's id when the socket sent an
 *                 access token, else what the client said
 */
record Subscription(UUID projectId, Kind kind, String name, ClientCaller caller, Map<String, Object> filters,
        String userId, String userName) {

    enum Kind {
        COLLECTION, BROADCAST, ROOM;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    String topic() {
        return topic(kind, name);
    }

    static String topic(Kind kind, String name) {
        return switch (kind) {
            case COLLECTION -> "collection:" + name;
            case BROADCAST -> "broadcast";
            case ROOM -> "room:" + name;
        };
    }
}
