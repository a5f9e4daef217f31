package io.cococloud.hook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * POSTs webhook deliveries, connecting only to addresses {@link WebhookAddressPolicy} has checked.
 * <p>
 * Why Apache HttpClient and not the JDK's: checking a name and then handing the URL to a client that resolves it
 * again leaves a window (DNS rebinding: a name answers a public address to the check and 127.0.0.1 to the
 * connection). Closing it means the connection must use the checked addresses. The JDK's {@code HttpClient} has no
 * per-client resolver: sending to the IP instead breaks TLS (SNI and the certificate check need the name) and the
 * Host header is restricted; a JVM-wide {@code InetAddressResolverProvider} would check every lookup of the
 * server (its database's too) and cannot tell a webhook's from another. HttpClient 5's {@link DnsResolver} is the
 * one resolver its connections use: ours resolves once per new connection, checks every address, and hands back
 * only those, while TLS still verifies the certificate against the URL's host name.
 */
@Component
class WebhookSender {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The longest one attempt may take in all, from connecting to the answer's status. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final DnsResolver checked;
    private final int connections;
    /**
     * Made for the first delivery, not at start: its TLS context reads the JDK's trusted certificates (~30 ms of a
     * start's CPU, and their objects kept), and most servers send no webhook for a long time, if ever.
     */
    private CloseableHttpClient http; // guarded by this
    private boolean closed; // guarded by this

    @Autowired
    WebhookSender(WebhookAddressPolicy policy, @Value("${coco.webhooks.concurrency:32}") int concurrency) {
        this.checked = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return policy.addresses(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return host; // never asked for (no SPNEGO), and no reason to trust what a reverse lookup says
            }
        };
        this.connections = Math.max(1, concurrency);
    }

    private synchronized CloseableHttpClient http() throws IOException {
        if (closed) {
            throw new IOException("The server is stopping");
        }
        if (http == null) {
            http = newClient();
        }
        return http;
    }

    private CloseableHttpClient newClient() {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(checked)
                        .setMaxConnTotal(connections)
                        .setMaxConnPerRoute(connections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                                .setSocketTimeout(Timeout.of(TIMEOUT))
                                .setTimeToLive(TimeValue.ofMinutes(1)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(TIMEOUT)).build())
                .disableRedirectHandling() // a redirect could point anywhere, the check notwithstanding
                .disableAutomaticRetries() // WebhookDeliveries retries, with backoff, and records each attempt
                .disableCookieManagement()
                .disableAuthCaching()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
    }

    /**
     * POSTs the JSON body with the headers and answers the receiver's status (its body is not read).
     *
     * @throws WebhookAddressPolicy.InternalAddressException when the URL's host resolves to an internal address
     * @throws IOException when there is no answer within {@link #TIMEOUT} or no connection
     */
    int post(String url, Map<String, String> headers, String body) throws IOException {
        HttpPost request = new HttpPost(URI.create(url));
        headers.forEach(request::setHeader);
        request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        // the timeouts above bound each step; this bounds the whole attempt, as a receiver may trickle bytes
        CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(request::cancel);
        ClassicHttpResponse answer = http().executeOpen(null, request, null);
        int status = answer.getCode();
        try {
            answer.close(); // reads what is left of the body (for the connection's reuse), until the deadline
        } catch (IOException e) {
            // the status was the answer: a body cut short (by the deadline or the receiver) does not undo it
        }
        return status;
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        if (http != null) {
            http.close(CloseMode.IMMEDIATE);
        }
    }
}
