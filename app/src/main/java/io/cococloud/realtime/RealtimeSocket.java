package io.cococloud.realtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import io.cococloud.appuser.AppUser;
import io.cococloud.appuser.AppUserService;
import io.cococloud.appuser.ClientCaller;
import io.cococloud.error.DomainException;
import io.cococloud.project.ApiKeyService;
import io.cococloud.project.ProjectCors;
import io.cococloud.token.BearerToken;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * CocoBase's handshake, common to the three endpoints: the first message, within {@code coco.realtime.auth-timeout},
 * is a JSON object with {@code api_key} (and, optionally, an app user's {@code access_token}); it is answered with the
 * endpoint's own confirmation, or with {@code {"error": ...}} and a close code (docs/realtime.md). After it, the text
 * {@code ping} and {@code {"type": "ping"}} are answered with a pong, and other messages go to the endpoint.
 */
abstract class RealtimeSocket extends TextWebSocketHandler {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    static final int MAX_NAME = 200;

    final LiveConnections connections;
    final RealtimeProperties settings;
    final JsonMapper json;
    private final ApiKeyService keys;
    private final AppUserService users;
    private final ProjectCors cors;
    private final ScheduledExecutorService timers;

    RealtimeSocket(RealtimeSocketSupport support) {
        this.connections = support.connections();
        this.settings = support.settings();
        this.json = support.json();
        this.keys = support.keys();
        this.users = support.users();
        this.cors = support.cors();
        this.timers = support.timers();
    }

    /** The path after the endpoint's prefix (a collection name, a room id), or "" for the broadcast. */
    abstract String prefix();

    /** What the socket subscribes to, from its path name and first message; throws a refusal for bad requests. */
    abstract Subscription subscription(ClientCaller caller, String name, Map<String, Object> first);

    /** Subscribes the socket (at least {@code connections.subscribe}) and answers the confirmation to send. */
    abstract Map<String, Object> subscribe(LiveConnection connection, Subscription subscription,
            Map<String, Object> first);

    /** A message from an authenticated client, other than a ping. */
    void received(LiveConnection connection, Map<String, Object> message) {
        throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, "This endpoint takes no messages but ping");
    }

    /** The socket of a subscriber closed (its row is already gone). */
    void left(LiveConnection connection) {
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        // a larger message closes the socket with 1009 (message too big) before it is read
        session.setTextMessageSizeLimit(settings.maxMessageBytes());
        session.setBinaryMessageSizeLimit(1024);
        LiveConnection connection = connections.opened(session);
        connection.authDeadline(timers.schedule(() -> {
            if (connection.subscription() == null) {
                refuse(connection, new ChannelRefusal(ChannelRefusal.AUTH_TIMEOUT, "Authentication timeout: send"
                        + " {\"api_key\": ...} within " + settings.authTimeout().toSeconds() + " s of connecting"));
            }
        }, settings.authTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage text) {
        LiveConnection connection = connections.of(session);
        if (connection == null) {
            return;
        }
        String payload = text.getPayload();
        if (connection.subscription() == null) {
            try {
                authenticate(connection, payload);
            } catch (ChannelRefusal refusal) {
                refuse(connection, refusal);
            } catch (DomainException e) {
                refuse(connection, new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, e.getMessage()));
            }
            return;
        }
        try {
            if (!connection.withinBudget(settings.messagesPerSecond())) {
                throw new ChannelRefusal(ChannelRefusal.TOO_MANY, "Too many messages: at most "
                        + settings.messagesPerSecond() + " a second; this one was dropped");
            }
            if (payload.strip().equals("ping")) {
                connection.send("pong");
                return;
            }
            Map<String, Object> message = object(payload);
            if ("ping".equals(message.get("type"))) {
                connection.send("{\"type\":\"pong\"}");
                return;
            }
            received(connection, message);
        } catch (ChannelRefusal refusal) {
            connection.send(json.writeValueAsString(refusal.message())); // the socket stays open
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        LiveConnection connection = connections.of(session);
        connections.closed(session);
        if (connection != null && connection.subscription() != null) {
            left(connection);
        }
    }

    private void authenticate(LiveConnection connection, String payload) {
        Map<String, Object> first = object(payload);
        String apiKey = text(first, "api_key");
        if (apiKey == null || apiKey.isBlank()) {
            throw new ChannelRefusal(ChannelRefusal.UNAUTHENTICATED, "API key is required");
        }
        ApiKeyService.ResolvedKey key = keys.resolve(apiKey.strip()).orElseThrow(() -> new ChannelRefusal(
                ChannelRefusal.UNAUTHENTICATED, "Invalid API key").with("error_detail", "unknown or revoked key"));
        String origin = connection.session().getHandshakeHeaders().getOrigin();
        if (origin != null && !cors.allows(key.projectId(), origin)) {
            throw new ChannelRefusal(ChannelRefusal.FORBIDDEN, "Pages on " + origin + " may not connect to this"
                    + " project: add the origin to the project's CORS settings");
        }
        String token = accessToken(first);
        AppUser user = token == null ? null : users.findBySessionToken(key.projectId(), token).orElseThrow(
                () -> new ChannelRefusal(ChannelRefusal.UNAUTHENTICATED,
                        "The access token is invalid or has expired; log in again"));
        ClientCaller caller = new ClientCaller(key.projectId(), key.server(), user, token);
        Subscription subscription = subscription(caller, name(connection), first);
        connection.answer(json.writeValueAsString(subscribe(connection, subscription, first)));
    }

    /** {@code access_token}, {@code token} or {@code authorization} ("Bearer ..."), as SDKs may name it. */
    private static String accessToken(Map<String, Object> first) {
        String token = text(first, "access_token");
        if (token == null) {
            token = text(first, "token");
        }
        if (token == null && text(first, "authorization") != null) {
            token = BearerToken.of(text(first, "authorization")).orElseThrow(() -> new ChannelRefusal(
                    ChannelRefusal.UNAUTHENTICATED, "authorization must be \"Bearer <access_token>\""));
        }
        return token == null || token.isBlank() ? null : token.strip();
    }

    private String name(LiveConnection connection) {
        String path = connection.session().getUri() == null ? "" : connection.session().getUri().getRawPath();
        String rest = path.length() > prefix().length() ? path.substring(prefix().length()) : "";
        return URLDecoder.decode(rest, StandardCharsets.UTF_8);
    }

    void refuse(LiveConnection connection, ChannelRefusal refusal) {
        connection.send(json.writeValueAsString(refusal.message()));
        connection.close(new CloseStatus(refusal.code(), reason(refusal.getMessage())));
    }

    /** A close frame's reason is at most 123 bytes. */
    private static String reason(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 120 ? message : new String(bytes, 0, 117, StandardCharsets.UTF_8) + "...";
    }

    Map<String, Object> object(String payload) {
        try {
            Map<String, Object> message = json.readValue(payload, MAP);
            if (message == null) {
                throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, "A message must be a JSON object");
            }
            return message;
        } catch (JacksonException e) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, "A message must be a JSON object, such as"
                    + " {\"api_key\": \"...\"} first");
        }
    }

    /** A text field of a message; a refusal when it is there but not text, or longer than {@link #MAX_NAME}. */
    static String text(Map<String, Object> message, String field) {
        Object value = message.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, field + " must be a string");
        }
        if (text.length() > MAX_NAME && !field.equals("api_key") && !field.endsWith("token")
                && !field.equals("authorization")) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, field + " must be at most " + MAX_NAME
                    + " characters");
        }
        return text;
    }

    static Map<String, Object> reply(Object... pairs) {
        Map<String, Object> reply = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            reply.put((String) pairs[i], pairs[i + 1]);
        }
        return reply;
    }
}
