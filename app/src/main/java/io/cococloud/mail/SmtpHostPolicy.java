package io.cococloud.mail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.cococloud.net.InternalAddresses;

/**
 * Keeps a project's SMTP settings from reaching into the server's own network: an SMTP host on a loopback,
 * link-local, private, carrier-grade NAT or unique-local address would let a tenant probe internal ports (refused
 * versus stuck shows which are open). The server's operator may allow named hosts or addresses
 * ({@code coco.mail.allowed-internal-hosts}); the server's own default SMTP server is the operator's and is never
 * checked.
 */
final class SmtpHostPolicy {

    private final List<String> allowed;

    SmtpHostPolicy(List<String> allowedInternalHosts) {
        this.allowed = allowedInternalHosts.stream().map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty()).toList();
    }

    /**
     * Why the host may not be used, if it may not: checked when settings are saved (for what resolves then) and
     * again before each connection (a name can be pointed elsewhere later).
     */
    Optional<String> refusal(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (allowed.contains(name)) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            return Optional.empty(); // nothing to reach; the send fails and says so
        }
        return InternalAddresses.firstRefused(addresses, allowed).map(address -> "host " + host
                + " is an internal address (" + address.getHostAddress() + "); the server's operator may allow it"
                + " with coco.mail.allowed-internal-hosts");
    }
}
