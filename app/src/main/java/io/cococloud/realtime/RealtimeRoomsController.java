package io.cococloud.realtime;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.project.ApiKeyService.ResolvedKey;

/** {@code GET /realtime/rooms} with the project's {@code x-api-key}: {@code {"rooms": [...], "total"}}. */
@RestController
class RealtimeRoomsController {

    private final RealtimeRooms rooms;

    RealtimeRoomsController(RealtimeRooms rooms) {
        this.rooms = rooms;
    }

    @GetMapping("/realtime/rooms")
    Map<String, Object> rooms(ResolvedKey key) {
        List<Map<String, Object>> list = rooms.list(key.projectId());
        return Map.of("rooms", list, "total", list.size());
    }
}
