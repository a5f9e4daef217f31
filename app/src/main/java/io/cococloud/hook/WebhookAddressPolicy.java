package io.cococloud.hook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.cococloud.net.InternalAddresses;

/**
 * Keeps webhooks from reaching into the server's own network: a URL whose host is, or resolves to, a loopback,
 * link-local (cloud metadata), private, carrier-grade NAT, unique-local, multicast or reserved address would let a
 * tenant make the server call its neighbours. Every address the name resolves to is checked, when the URL is set
 * and again before each delivery (a name can be pointed elsewhere later). The operator may allow named hosts or
 * addresses ({@code coco.webhooks.allowed-internal-hosts}).
 */
@Component
class WebhookAddressPolicy {

    static final int MAX_URL_LENGTH = 2000;

    private final List<String> allowed;

    WebhookAddressPolicy(@Value("${coco.webhooks.allowed-internal-hosts:}") List<String> allowedInternalHosts) {
        this.allowed = allowedInternalHosts.stream().map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty()).toList();
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
        return hostRefusal(uri.getHost());
    }

    private Optional<String> hostRefusal(String host) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        name = name.toLowerCase(Locale.ROOT);
        if (allowed.contains(name)) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            return Optional.of("webhook_url's host " + host + " does not resolve");
        }
        return InternalAddresses.firstRefused(addresses, allowed).map(address -> "webhook_url's host " + host
                + " is an internal address (" + address.getHostAddress() + "); the server's operator may allow it"
                + " with coco.webhooks.allowed-internal-hosts");
    }
}
