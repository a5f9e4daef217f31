package io.cococloud.hook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.cococloud.net.InternalAddresses;

/**
 * Keeps webhooks from reaching into the server's own network: a URL whose host is, or resolves to, a loopback,
 * link-local (cloud metadata), private, carrier-grade NAT, unique-local, multicast or reserved address would let a
 * tenant make the server call its neighbours. Every address the name resolves to is checked when the URL is set,
 * and again for each delivery's connection ({@link WebhookSender}): the connection goes only to the addresses that
 * were checked, so a name that answers a public address to the first check and an internal one later (DNS
 * rebinding) is refused then. The operator may allow named hosts or addresses
 * ({@code coco.webhooks.allowed-internal-hosts}).
 */
@Component
class WebhookAddressPolicy {

    static final int MAX_URL_LENGTH = 2000;

    /** How a host's name becomes its addresses: the system's resolver, or a test's own (no real DNS in tests). */
    @FunctionalInterface
    interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * A host that is, or resolves to, an internal address. An {@link UnknownHostException} because that is what a
     * connection's resolver may throw: to the HTTP client the host has no address it may use.
     */
    static final class InternalAddressException extends UnknownHostException {
        InternalAddressException(String message) {
            super(message);
        }
    }

    private final List<String> allowed;
    private final HostResolver resolver;

    @Autowired
    WebhookAddressPolicy(@Value("${coco.webhooks.allowed-internal-hosts:}") List<String> allowedInternalHosts) {
        this(allowedInternalHosts, InetAddress::getAllByName);
    }

    WebhookAddressPolicy(List<String> allowedInternalHosts, HostResolver resolver) {
        this.allowed = allowedInternalHosts.stream().map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty()).toList();
        this.resolver = resolver;
    }

    /** The URL parsed, or why it may not be used. */
    Optional<String> refusal(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            return Optional.of("webhook_url is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("webhook_url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return Optional.of("webhook_url must be an http or https URL with a host, not '" + url + "'");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("webhook_url must not carry a user name or password");
        }
        try {
            addresses(uri.getHost());
            return Optional.empty();
        } catch (InternalAddressException e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return Optional.of("webhook_url's host " + uri.getHost() + " does not resolve");
        }
    }

    /**
     * The host's addresses, resolved once, every one of them checked: those a connection to the host may use.
     *
     * @throws InternalAddressException when one of them is internal and not allowed
     * @throws UnknownHostException when the name does not resolve
     */
    InetAddress[] addresses(String host) throws UnknownHostException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        name = name.toLowerCase(Locale.ROOT);
        InetAddress[] addresses = resolver.resolve(name);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        if (allowed.contains(name)) {
            return addresses;
        }
        Optional<InetAddress> refused = InternalAddresses.firstRefused(addresses, allowed);
        if (refused.isPresent()) {
            throw new InternalAddressException("webhook_url's host " + host + " is an internal address ("
                    + refused.get().getHostAddress() + "); the server's operator may allow it with"
                    + " coco.webhooks.allowed-internal-hosts");
        }
        return addresses;
    }
}
