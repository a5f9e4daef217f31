package io.cococloud.realtime;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The three realtime endpoints. Any origin may open a socket: a socket carries no cookie and is authorised by the key
 * in its first message, whose project's CORS settings then decide about the page's origin ({@link RealtimeSocket}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class RealtimeWebSockets implements WebSocketConfigurer {

    private final CollectionSocket collections;
    private final BroadcastSocket broadcast;
    private final RoomSocket rooms;

    RealtimeWebSockets(CollectionSocket collections, BroadcastSocket broadcast, RoomSocket rooms) {
        this.collections = collections;
        this.broadcast = broadcast;
        this.rooms = rooms;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(collections, "/realtime/collections/*").setAllowedOriginPatterns("*");
        registry.addHandler(broadcast, "/realtime/broadcast").setAllowedOriginPatterns("*");
        registry.addHandler(rooms, "/realtime/rooms/*").setAllowedOriginPatterns("*");
    }
}
