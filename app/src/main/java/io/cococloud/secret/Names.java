package io.cococloud.secret;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.cococloud.error.InvalidInputException;

/**
 * What a secret or variable may be called and hold. Names are environment-variable names, so a
 * variable reads the same in {@code os.environ}; values are text without NUL (PostgreSQL text cannot
 * hold it) and within a size cap. Messages never repeat a value: it may be a secret.
 */
final class Names {

    static final int MAX_NAME = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0," + (MAX_NAME - 1) + "}");

    private Names() {}

    static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static String requireValid(String name, String kind) {
        if (!valid(name)) {
            throw InvalidInputException.atField("name", kind + " name must be 1 to " + MAX_NAME + " letters, digits"
                    + " or underscores, not starting with a digit (like API_KEY or smtp_password)");
        }
        return name;
    }

    static String requireValue(String value, String kind, int maxBytes) {
        if (value == null) {
            throw InvalidInputException.atField("value", "value is required: the " + kind + "'s value as a string");
        }
        if (value.indexOf('\0') >= 0) {
            throw InvalidInputException.atField("value", "value must not contain NUL characters");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw InvalidInputException.atField("value", "value is " + bytes + " bytes; a " + kind
                    + " may hold at most " + maxBytes + " bytes (UTF-8)");
        }
        return value;
    }
}
