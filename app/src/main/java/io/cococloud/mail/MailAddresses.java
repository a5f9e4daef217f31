package io.cococloud.mail;

import java.util.ArrayList;
import java.util.List;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * Strict parsing of mail addresses (RFC 822 with a required {@code @domain}, as Jakarta Mail's
 * strict mode does it): a bad address is refused when the mail is queued, not found out by the
 * SMTP server hours later. One string is one address, with or without a display name.
 */
final class MailAddresses {

    static final int MAX_LENGTH = 320;

    private MailAddresses() {}

    /** The address in its canonical form; IllegalArgumentException naming it when it is not one address. */
    static String parse(String what, String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException(what + " is empty; give an email address such as name@example.com");
        }
        if (address.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_LENGTH + " characters");
        }
        if (address.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(what + " " + quote(address) + " contains control characters");
        }
        try {
            InternetAddress parsed = new InternetAddress(address.strip(), true);
            if (parsed.isGroup()) {
                throw new AddressException("a group is not one address");
            }
            parsed.validate();
            return parsed.toUnicodeString();
        } catch (AddressException e) {
            throw new IllegalArgumentException(what + " " + quote(address) + " is not a valid email address ("
                    + e.getMessage().replaceAll("\\s+", " ") + ")");
        }
    }

    /** A string or a list of strings, each one address. */
    static List<String> parseAll(String what, Object value) {
        List<String> addresses = new ArrayList<>();
        if (value == null) {
            return addresses;
        }
        if (value instanceof String one) {
            addresses.add(parse(what, one));
        } else if (value instanceof List<?> many) {
            for (int i = 0; i < many.size(); i++) {
                if (!(many.get(i) instanceof String one)) {
                    throw new IllegalArgumentException(what + "[" + i + "] must be a string, not "
                            + typeName(many.get(i)));
                }
                addresses.add(parse(what + "[" + i + "]", one));
            }
        } else {
            throw new IllegalArgumentException(what + " must be a string or a list of strings, not "
                    + typeName(value));
        }
        return addresses;
    }

    static String typeName(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof java.util.Map) {
            return "dict";
        }
        return value.getClass().getSimpleName();
    }

    private static String quote(String address) {
        String shown = address.length() > 80 ? address.substring(0, 80) + "..." : address;
        return "'" + shown + "'";
    }
}
