package io.cococloud.support;

import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket client of the realtime endpoints (the JDK's), for tests: what the server sends is queued and read
 * in order with {@link #next()}; how the server closed is kept. Waits are bounds for a broken server, never what a
 * test asserts.
 */
public final class RealtimeSocketClient implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;
    private volatile boolean paused;

    private RealtimeSocketClient(int port, String path, Map<String, String> headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(URI.create("ws://localhost:" + port + path), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    received.add(partial.toString());
                    partial.setLength(0);
                }
                if (!paused) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.complete(-1);
            }
        }).join();
    }

    public static RealtimeSocketClient open(int port, String path) {
        return new RealtimeSocketClient(port, path, Map.of());
    }

    public static RealtimeSocketClient open(int port, String path, Map<String, String> headers) {
        return new RealtimeSocketClient(port, path, headers);
    }

    public RealtimeSocketClient send(Object message) {
        String text = message instanceof String s ? s : JSON.writeValueAsString(message);
        socket.sendText(text, true).join();
        return this;
    }

    /**
     * Stops reading what the server sends (after at most one more message): the client of a slow consumer, whose
     * TCP buffers fill until the server's writes block.
     */
    public void stopReading() {
        paused = true;
    }

    /** The next text the server sent. */
    public String nextText() {
        try {
            String next = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                fail("the server sent nothing within " + WAIT);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message the server sent, as JSON. */
    public JsonNode next() {
        return JSON.readTree(nextText());
    }

    /** The code the server closed the socket with (-1: the connection failed instead). */
    public int closeCode() {
        try {
            return closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return fail("the server did not close the socket within " + WAIT);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        socket.abort();
    }
}
