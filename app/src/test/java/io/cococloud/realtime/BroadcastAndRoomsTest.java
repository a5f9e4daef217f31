package io.cococloud.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.data.ClientApp;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.RealtimeSocketClient;
import tools.jackson.databind.JsonNode;

/** {@code /realtime/broadcast}, {@code /realtime/rooms/{id}} and {@code GET /realtime/rooms}, as CocoBase's docs show them. */
@IntegrationTest
class BroadcastAndRoomsTest {

    @LocalServerPort
    int port;

    ClientApp app;

    @BeforeEach
    void project() {
        app = ClientApp.newProject(port);
    }

    private RealtimeSocketClient broadcast(ClientApp project, String userId, String userName) {
        RealtimeSocketClient socket = RealtimeSocketClient.open(port, "/realtime/broadcast");
        socket.send(Map.of("api_key", project.clientKey, "user_id", userId, "user_name", userName));
        JsonNode connected = socket.next();
        assertThat(connected.path("event").asString()).as(connected.toString()).isEqualTo("connected");
        assertThat(connected.path("user_id").asString()).isEqualTo(userId);
        return socket;
    }

    private RealtimeSocketClient room(String roomId, Map<String, Object> first) {
        RealtimeSocketClient socket = RealtimeSocketClient.open(port, "/realtime/rooms/" + roomId);
        socket.send(first);
        return socket;
    }

    /** What a room socket that is refused gets: the message, the room id it names, then the close code. */
    private record Refusal(String error, String roomId, int closeCode) {
    }

    private Refusal refusal(String roomPath, String action) {
        try (RealtimeSocketClient socket = room(roomPath, Map.of("api_key", app.clientKey, "user_id", "u1",
                "action", action))) {
            JsonNode answer = socket.next();
            return new Refusal(answer.path("error").asString(), answer.path("room_id").asString(), socket.closeCode());
        }
    }

    @Test
    void aBroadcastMessageReachesEveryClientOfTheProjectWithItsSender() {
        try (RealtimeSocketClient alice = broadcast(app, "u1", "Alice");
                RealtimeSocketClient bob = broadcast(app, "u2", "Bob")) {
            alice.send(Map.of("type", "message", "data", Map.of("text", "hello")));
            for (RealtimeSocketClient socket : new RealtimeSocketClient[] {alice, bob}) {
                JsonNode message = socket.next();
                assertThat(message.path("type").asString()).isEqualTo("message");
                assertThat(message.path("user_id").asString()).isEqualTo("u1");
                assertThat(message.path("user_name").asString()).isEqualTo("Alice");
                assertThat(message.path("data").path("text").asString()).isEqualTo("hello");
                assertThat(message.path("timestamp").asString()).isNotBlank();
            }
        }
    }

    @Test
    void anotherProjectsBroadcastIsNotHeard() {
        ClientApp other = ClientApp.newProject(port);
        try (RealtimeSocketClient mine = broadcast(app, "u1", "Alice");
                RealtimeSocketClient theirs = broadcast(other, "u9", "Eve")) {
            theirs.send(Map.of("type", "message", "data", Map.of("text", "psst")));
            assertThat(theirs.next().path("data").path("text").asString()).isEqualTo("psst");
            mine.send(Map.of("type", "message", "data", Map.of("text", "mine")));
            assertThat(mine.next().path("data").path("text").asString()).isEqualTo("mine");
        }
    }

    @Test
    void aSignedInUserBroadcastsAsThemselvesWhateverUserIdTheySend() {
        String token = app.signUp();
        try (RealtimeSocketClient socket = RealtimeSocketClient.open(port, "/realtime/broadcast")) {
            socket.send(Map.of("api_key", app.clientKey, "access_token", token, "user_id", "admin", "user_name", "X"));
            JsonNode connected = socket.next();
            assertThat(connected.path("user_id").asString()).isNotEqualTo("admin").isNotBlank();
        }
    }

    @Test
    void aRoomIsCreatedJoinedAndHearsItsMessages() {
        try (RealtimeSocketClient alice = room("general", Map.of("api_key", app.clientKey, "user_id", "u1",
                "user_name", "Alice", "action", "create", "room_title", "General Chat"))) {
            JsonNode created = alice.next();
            assertThat(created.path("event").asString()).isEqualTo("joined");
            assertThat(created.path("room_id").asString()).isEqualTo("general");
            assertThat(created.path("room_title").asString()).isEqualTo("General Chat");
            assertThat(created.path("participants").asInt()).isEqualTo(1);

            try (RealtimeSocketClient bob = room("general", Map.of("api_key", app.clientKey, "user_id", "u2",
                    "user_name", "Bob", "action", "join"))) {
                JsonNode joined = bob.next();
                assertThat(joined.path("event").asString()).isEqualTo("joined");
                assertThat(joined.path("participants").asInt()).isEqualTo(2);

                JsonNode seen = alice.next();
                assertThat(seen.path("type").asString()).isEqualTo("user_joined");
                assertThat(seen.path("user_name").asString()).isEqualTo("Bob");
                assertThat(seen.path("room_info").path("participants").asInt()).isEqualTo(2);

                bob.send(Map.of("type", "message", "content", "Hello room!"));
                for (RealtimeSocketClient socket : new RealtimeSocketClient[] {alice, bob}) {
                    JsonNode message = socket.next();
                    assertThat(message.path("type").asString()).isEqualTo("message");
                    assertThat(message.path("content").asString()).isEqualTo("Hello room!");
                    assertThat(message.path("user_id").asString()).isEqualTo("u2");
                    assertThat(message.path("room_info").path("title").asString()).isEqualTo("General Chat");
                }

                JsonNode rooms = app.call("GET", "/realtime/rooms", null).expect(200).json();
                assertThat(rooms.path("total").asInt()).isEqualTo(1);
                JsonNode listed = rooms.path("rooms").get(0);
                assertThat(listed.path("id").asString()).isEqualTo("general");
                assertThat(listed.path("title").asString()).isEqualTo("General Chat");
                assertThat(listed.path("created_by").asString()).isEqualTo("u1");
                assertThat(listed.path("participants").asInt()).isEqualTo(2);
                assertThat(listed.path("participant_list").findValuesAsString("name")).containsExactly("Alice", "Bob");
            }
            JsonNode left = alice.next();
            assertThat(left.path("type").asString()).isEqualTo("user_left");
            assertThat(left.path("user_name").asString()).isEqualTo("Bob");
            assertThat(left.path("room_info").path("participants").asInt()).isEqualTo(1);
        }
    }

    @Test
    void joiningARoomThatDoesNotExistIsRefused() {
        Refusal refusal = refusal("nowhere", "join");
        assertThat(refusal.error()).isEqualTo("Room not found");
        assertThat(refusal.roomId()).isEqualTo("nowhere");
        assertThat(refusal.closeCode()).isEqualTo(4404);
    }

    @Test
    void aRoomIdOutsideTheAllowedCharactersIsRefusedNamingIt() {
        Refusal refusal = refusal("bad%20room", "create");
        assertThat(refusal.error()).startsWith("A room id is 1 to 128");
        assertThat(refusal.roomId()).isEqualTo("bad room");
        assertThat(refusal.closeCode()).isEqualTo(4400);
        assertThat(app.call("GET", "/realtime/rooms", null).expect(200).json().path("total").asInt()).isZero();
    }

    @Test
    void aUserNameLongerThanTheLimitIsRefused() {
        try (RealtimeSocketClient socket = RealtimeSocketClient.open(port, "/realtime/broadcast")) {
            socket.send(Map.of("api_key", app.clientKey, "user_id", "u1", "user_name", "n".repeat(201)));
            assertThat(socket.next().path("error").asString()).isEqualTo("user_name must be at most 200 characters");
            assertThat(socket.closeCode()).isEqualTo(4400);
        }
    }

    @Test
    void anotherProjectsRoomsAreNotListedNorJoinable() {
        ClientApp other = ClientApp.newProject(port);
        try (RealtimeSocketClient theirs = room("shared-name", Map.of("api_key", other.clientKey, "user_id", "u9",
                "action", "create"))) {
            assertThat(theirs.next().path("event").asString()).isEqualTo("joined");
            assertThat(app.call("GET", "/realtime/rooms", null).expect(200).json().path("total").asInt()).isZero();
            try (RealtimeSocketClient mine = room("shared-name", Map.of("api_key", app.clientKey, "user_id", "u1",
                    "action", "join"))) {
                assertThat(mine.next().path("error").asString()).isEqualTo("Room not found");
            }
        }
    }

    @Test
    void listingRoomsNeedsTheProjectsKey() {
        app.call("GET", "/realtime/rooms", null).expect(200);
        io.cococloud.support.AdminApi.anonymous(port).get("/realtime/rooms").expect(401);
    }

    @Test
    void aMessageOfAnUnknownTypeIsAnsweredWithAnErrorAndTheSocketStaysOpen() {
        try (RealtimeSocketClient socket = broadcast(app, "u1", "Alice")) {
            socket.send(Map.of("type", "shout", "data", 1));
            assertThat(socket.next().path("error").asString()).contains("\"type\": \"message\"");
            socket.send(Map.of("type", "ping"));
            assertThat(socket.next().path("type").asString()).isEqualTo("pong");
        }
    }

    @Test
    void aMessageLargerThanTheLimitClosesTheSocketAsTooBig() {
        try (RealtimeSocketClient socket = broadcast(app, "u1", "Alice")) {
            socket.send(Map.of("type", "message", "data", "x".repeat(70 * 1024)));
            assertThat(socket.closeCode()).isEqualTo(1009);
        }
    }
}
