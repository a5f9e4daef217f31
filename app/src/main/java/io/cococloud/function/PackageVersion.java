package io.cococloud.function;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version, for choosing the newest of an index's versions: epoch, release numbers, then a pre-release
 * ({@code a}, {@code b}, {@code rc}) before the release, a post-release after it, a dev release before all of
 * them. Local versions ({@code +local}) are ignored. A version PEP 440 does not describe sorts first: it is never
 * chosen while a valid one matches.
 */
record PackageVersion(String text, boolean valid, int epoch, int[] release, int pre, int post, int dev)
        implements Comparable<PackageVersion> {

    private static final Pattern FORM = Pattern.compile("v?(?:([0-9]+)!)?([0-9]+(?:\\.[0-9]+)*)"
            + "(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?([0-9]*))?"
            + "(?:(?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]*)))?"
            + "(?:[-_.]?(dev)[-_.]?([0-9]*))?(?:\\+[a-z0-9.]+)?");
    /** Orders what follows the release: dev < a < b < rc < (release) < post. */
    private static final int NONE = Integer.MAX_VALUE;

    static PackageVersion parse(String text) {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return new PackageVersion(text, false, 0, new int[0], NONE, -1, NONE);
        }
        int[] release = Arrays.stream(m.group(2).split("\\.")).mapToInt(PackageVersion::number).toArray();
        int pre = NONE;
        if (m.group(3) != null) {
            int kind = switch (m.group(3)) {
                case "a", "alpha" -> 0;
                case "b", "beta" -> 1;
                default -> 2;
            };
            pre = kind * 1_000_000 + number(m.group(4));
        }
        int post = m.group(5) != null ? number(m.group(5)) : m.group(6) != null ? number(m.group(7)) : -1;
        int dev = m.group(8) != null ? number(m.group(9)) : NONE;
        if (dev != NONE && pre == NONE && post < 0) {
            pre = -1; // 1.0.dev1 comes before 1.0a1
        }
        return new PackageVersion(text, true, m.group(1) == null ? 0 : number(m.group(1)), release, pre, post, dev);
    }

    /** A pre-release or dev release, which is chosen only when the specifier names one. */
    boolean preRelease() {
        return valid && (pre != NONE || dev != NONE);
    }

    @Override
    public int compareTo(PackageVersion other) {
        if (valid != other.valid) {
            return valid ? 1 : -1;
        }
        int c = Integer.compare(epoch, other.epoch);
        for (int i = 0; c == 0 && i < Math.max(release.length, other.release.length); i++) {
            c = Integer.compare(i < release.length ? release[i] : 0, i < other.release.length ? other.release[i] : 0);
        }
        if (c == 0) {
            c = Integer.compare(pre, other.pre);
        }
        if (c == 0) {
            c = Integer.compare(post, other.post);
        }
        return c != 0 ? c : Integer.compare(dev, other.dev);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PackageVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        int length = release.length;
        while (length > 0 && release[length - 1] == 0) {
            length--; // 1.0 equals 1.0.0
        }
        return ((Arrays.hashCode(Arrays.copyOf(release, length)) * 31 + epoch) * 31 + pre) * 31 + post;
    }

    @Override
    public String toString() {
        return text;
    }

    private static int number(String digits) {
        if (digits == null || digits.isEmpty()) {
            return 0;
        }
        return Integer.parseInt(digits.length() > 9 ? digits.substring(0, 9) : digits);
    }
}
