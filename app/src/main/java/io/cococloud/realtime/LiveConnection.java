package io.cococloud.realtime;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One open socket. Everything sent to it goes through its own queue, written by one task at a time on a virtual
 * thread: a client that reads slowly blocks only that task, and when its queue is full it is closed (4500), so
 * that no publisher ever waits for a reader.
 */
final class LiveConnection {

    final UUID id = UUID.randomUUID();
    private final WebSocketSession session;
    private final Executor writers;
    private final int maxQueued;
    private final Deque<String> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;
    /** Until the handshake's answer is sent, events are held here, so that the answer always comes first. */
    private List<String> held = new ArrayList<>();
    /** Queued after the last message of a close: the writer closes when it reaches it (compared by identity). */
    private static final String CLOSE_MARK = new String("close");
    private CloseStatus closeAfterQueue;
    private volatile Subscription subscription;
    private volatile ScheduledFuture<?> authDeadline;
    /** Message budget for what the client sends (a token bucket refilled each second). */
    private long budgetSecond;
    private int budgetUsed;

    LiveConnection(WebSocketSession session, Executor writers, int maxQueued) {
        this.session = session;
        this.writers = writers;
        this.maxQueued = maxQueued;
    }

    WebSocketSession session() {
        return session;
    }

    Subscription subscription() {
        return subscription;
    }

    void subscribed(Subscription subscription) {
        this.subscription = subscription;
        ScheduledFuture<?> deadline = authDeadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    void authDeadline(ScheduledFuture<?> deadline) {
        this.authDeadline = deadline;
    }

    /** Sends the handshake's answer, then what was held for the socket meanwhile. */
    void answer(String text) {
        synchronized (queue) {
            List<String> early = held;
            held = null;
            send(text);
            if (early != null) {
                early.forEach(this::send);
            }
        }
    }

    /** Queues an event; held until the handshake's answer when it is not sent yet. */
    boolean deliver(String text) {
        synchronized (queue) {
            if (held == null) {
                return send(text);
            }
            if (closed) {
                return false;
            }
            if (held.size() >= maxQueued) {
                return overflow();
            }
            held.add(text);
            return true;
        }
    }

    /** Queues a message; false (and the socket closed, 4500) when the client has fallen too far behind. */
    boolean send(String text) {
        synchronized (queue) {
            if (closed) {
                return false;
            }
            if (queue.size() >= maxQueued) {
                return overflow();
            }
            queue.add(text);
            if (!writing) {
                writing = true;
                writers.execute(this::write);
            }
            return true;
        }
    }

    /** The client fell too far behind: what waits is dropped, and the socket closed (4500). Under the queue's lock. */
    private boolean overflow() {
        closed = true;
        queue.clear();
        writers.execute(() -> closeNow(new CloseStatus(ChannelRefusal.FELL_BEHIND,
                "too slow: " + maxQueued + " messages were waiting; reconnect and read again")));
        return false;
    }

    /** Sends what is queued (the error of a refusal, say), then closes with {@code status}. */
    void close(CloseStatus status) {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            if (!writing) {
                writers.execute(() -> closeNow(status));
                return;
            }
            queue.add(CLOSE_MARK);
            closeAfterQueue = status;
        }
    }

    /** Whether the client may send one more message this second. */
    synchronized boolean withinBudget(int perSecond) {
        long second = System.nanoTime() / 1_000_000_000L;
        if (second != budgetSecond) {
            budgetSecond = second;
            budgetUsed = 0;
        }
        return ++budgetUsed <= perSecond;
    }

    private void write() {
        while (true) {
            String next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    writing = false;
                    return;
                }
            }
            if (next == CLOSE_MARK) {
                closeNow(closeAfterQueue);
                return;
            }
            try {
                session.sendMessage(new TextMessage(next));
            } catch (IOException | RuntimeException e) {
                synchronized (queue) {
                    closed = true;
                    queue.clear();
                    writing = false;
                }
                closeNow(CloseStatus.SERVER_ERROR);
                return;
            }
        }
    }

    private void closeNow(CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }
}
