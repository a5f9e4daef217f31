package io.cococloud.realtime;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A project's rooms ({@code realtime_rooms}) and who is in them (the live rows of {@code realtime_connections}, of
 * every node). A room lives while someone is in it; one left empty is dropped by the lease sweep a minute on.
 */
@Component
class RealtimeRooms {

    static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

    private final JdbcClient jdbc;
    private final RealtimeProperties settings;

    record Room(String id, String title, String createdBy) {}

    RealtimeRooms(JdbcClient jdbc, RealtimeProperties settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** Creates the room unless it exists (then it is joined as it is); refused past the project's bound. */
    Room create(UUID projectId, String id, String title, String createdBy) {
        Optional<Room> existing = find(projectId, id);
        if (existing.isPresent()) {
            return existing.get();
        }
        long rooms = jdbc.sql("SELECT count(*) FROM realtime_rooms WHERE project_id = ?").param(projectId)
                .query(Long.class).single();
        if (rooms >= settings.maxRoomsPerProject()) {
            throw new ChannelRefusal(ChannelRefusal.TOO_MANY, "Too many rooms: this project may have "
                    + settings.maxRoomsPerProject());
        }
        jdbc.sql("INSERT INTO realtime_rooms (project_id, id, title, created_by) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING").params(projectId, id, title, createdBy).update();
        return find(projectId, id).orElseThrow();
    }

    Optional<Room> find(UUID projectId, String id) {
        return jdbc.sql("SELECT id, title, created_by FROM realtime_rooms WHERE project_id = ? AND id = ?")
                .params(projectId, id).query((rs, row) -> new Room(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional();
    }

    long participants(UUID projectId, String roomId) {
        return jdbc.sql("SELECT count(*) FROM realtime_connections WHERE project_id = ? AND kind = 'room'"
                + " AND topic = ? AND expires_at > now()").params(projectId, roomId).query(Long.class).single();
    }

    /** {@code GET /realtime/rooms}: each room with its participants, oldest first. */
    List<Map<String, Object>> list(UUID projectId) {
        Map<String, Map<String, Object>> rooms = new LinkedHashMap<>();
        return jdbc.sql("""
                SELECT r.id, r.title, r.created_by, extract(epoch FROM r.created_at)::bigint AS created_at,
                       c.user_id, c.user_name
                FROM realtime_rooms r
                LEFT JOIN realtime_connections c ON c.project_id = r.project_id AND c.kind = 'room' AND c.topic = r.id
                     AND c.expires_at > now()
                WHERE r.project_id = ?
                ORDER BY r.created_at, r.id, c.connected_at""").param(projectId).query((ResultSet rs) -> {
                    while (rs.next()) {
                        room(rooms, rs);
                    }
                    return new ArrayList<>(rooms.values());
                });
    }

    @SuppressWarnings("unchecked")
    private static void room(Map<String, Map<String, Object>> rooms, ResultSet rs) throws SQLException {
        Map<String, Object> room = rooms.computeIfAbsent(rs.getString("id"), id -> {
            Map<String, Object> fresh = new LinkedHashMap<>();
            fresh.put("id", id);
            fresh.put("participants", 0);
            fresh.put("participant_list", new ArrayList<Map<String, Object>>());
            return fresh;
        });
        room.put("title", rs.getString("title"));
        room.put("created_by", rs.getString("created_by"));
        room.put("created_at", rs.getLong("created_at"));
        if (rs.getObject("user_id") != null || rs.getObject("user_name") != null) {
            Map<String, Object> participant = new LinkedHashMap<>();
            participant.put("id", rs.getString("user_id"));
            participant.put("name", rs.getString("user_name"));
            ((List<Map<String, Object>>) room.get("participant_list")).add(participant);
            room.put("participants", (int) room.get("participants") + 1);
        }
    }
}
