package io.cococloud.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Addresses a tenant must not make the server connect to (its own loopback, the private network it runs in, cloud
 * metadata at link-local addresses...): the rule shared by every outgoing connection a project configures, such as
 * its SMTP host and its collections' webhooks.
 */
public final class InternalAddresses {

    private InternalAddresses() {
    }

    /**
     * The first of a host's addresses that is internal and that the operator has not allowed (by address, in lower
     * case; names are the caller's to allow before resolving).
     */
    public static Optional<InetAddress> firstRefused(InetAddress[] addresses, Collection<String> allowed) {
        for (InetAddress address : addresses) {
            if (isInternal(address) && !allowed.contains(address.getHostAddress().toLowerCase(Locale.ROOT))) {
                return Optional.of(address);
            }
        }
        return Optional.empty();
    }

    public static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xFE) == 0xFC; // fc00::/7, unique local
        }
        int first = bytes[0] & 0xFF;
        int second = bytes[1] & 0xFF;
        return first == 0 || (first == 100 && second >= 64 && second < 128) // 0.0.0.0/8, 100.64.0.0/10
                || (first == 192 && second == 0 && (bytes[2] & 0xFF) == 0) || first >= 240; // 192.0.0.0/24, reserved
    }
}
