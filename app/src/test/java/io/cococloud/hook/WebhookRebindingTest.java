package io.cococloud.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding (docs/hooks.md#collection-webhooks): a webhook's connection goes only to addresses that were checked
 * when it was made. Names here resolve through the policy's resolver seam, never through real DNS; the receiver
 * listens on 127.0.0.1.
 */
class WebhookRebindingTest {

    /** TEST-NET-3: an address the policy takes for public. */
    static final InetAddress PUBLIC = address(203, 0, 113, 7);
    static final InetAddress LOOPBACK = address(127, 0, 0, 1);

    HttpServer receiver;
    final List<String> hosts = new CopyOnWriteArrayList<>();
    WebhookSender sender;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        if (sender != null) {
            sender.close();
        }
    }

    private String url(String host) {
        return "http://" + host + ":" + receiver.getAddress().getPort() + "/hook";
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSenderClosedWithTheServerSendsNothingMore() {
        WebhookAddressPolicy policy = new WebhookAddressPolicy(List.of(), host -> new InetAddress[] {PUBLIC});
        sender = new WebhookSender(policy, 2);
        sender.close(); // before any delivery: the client it makes on the first one was never made

        assertThatThrownBy(() -> sender.post(url("public.example"), Map.of(), "{}"))
                .isInstanceOf(IOException.class).hasMessageContaining("stopping");
        assertThat(hosts).isEmpty();
    }

    @Test
    void aNameThatPassedTheCheckButResolvesToLoopbackWhenConnectingIsRefused() {
        AtomicInteger lookups = new AtomicInteger();
        // the rebinding name: public to the first lookup (the check), loopback to every later one (the connection)
        WebhookAddressPolicy policy = new WebhookAddressPolicy(List.of(),
                host -> new InetAddress[] {lookups.getAndIncrement() == 0 ? PUBLIC : LOOPBACK});
        sender = new WebhookSender(policy, 2);
        assertThat(policy.refusal(url("rebind.example"))).isEmpty();

        assertThatThrownBy(() -> sender.post(url("rebind.example"), Map.of(), "{}"))
                .isInstanceOf(WebhookAddressPolicy.InternalAddressException.class)
                .hasMessageContaining("internal address (127.0.0.1)");
        assertThat(hosts).isEmpty();
    }

    @Test
    void theSenderConnectsToTheAddressTheCheckedLookupAnswered() throws IOException {
        // control for the test above: the seam's answer is what the connection uses (no real DNS knows this name)
        WebhookAddressPolicy policy = new WebhookAddressPolicy(List.of("127.0.0.1"),
                host -> new InetAddress[] {LOOPBACK});
        sender = new WebhookSender(policy, 2);

        int status = sender.post(url("receiver.example"), Map.of(), "{}");

        assertThat(status).isEqualTo(204);
        assertThat(hosts).containsExactly("receiver.example:" + receiver.getAddress().getPort());
    }
}
