package io.cococloud.function;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a distribution file's name says (PEP 427 wheels, sdists), and reading one within bounds. */
final class PackageFiles {

    private static final Pattern SDIST = Pattern.compile("(.+)-([0-9][^-]*)\\.(tar\\.gz|tar\\.bz2|tgz|zip)",
            Pattern.CASE_INSENSITIVE);

    private PackageFiles() {
    }

    /** The project (PEP 503 name) a wheel or sdist belongs to, or null for any other file. */
    static String project(String file) {
        WheelName wheel = WheelName.parse(file);
        if (wheel != null) {
            return wheel.name();
        }
        Matcher sdist = SDIST.matcher(file);
        return sdist.matches() ? VendoredPackages.normalised(sdist.group(1)) : null;
    }

    /** The version a wheel's or sdist's name states, or null. */
    static String version(String file) {
        WheelName wheel = WheelName.parse(file);
        if (wheel != null) {
            return wheel.version();
        }
        Matcher sdist = SDIST.matcher(file);
        return sdist.matches() ? sdist.group(2) : null;
    }

    /** At most {@code maxBytes} of a stream; more is {@link TooLarge} naming the file and the bound. */
    static byte[] bounded(InputStream in, int maxBytes, String what) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new TooLarge(what + " is more than " + maxBytes + " bytes");
        }
        return bytes;
    }

    /** A file over the bound it was read with: the file's size, not the source's failure. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
