package io.cococloud.function;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One requirement, as a line of {@code requirements.txt} or a {@code Requires-Dist} header of a wheel's METADATA
 * writes it (PEP 508): a name, optional extras, an optional version specifier ({@code >=2,<3}, or the older
 * {@code (>=2,<3)} of METADATA), an optional direct URL ({@code name @ https://...}) and an optional environment
 * marker after {@code ;}.
 *
 * @param text      the requirement as written, for messages
 * @param name      the distribution's name, normalised as PEP 503 does
 * @param extras    the extras asked for ({@code flask[async]}); not resolved
 * @param specifier the version specifier without parentheses, "" for any version
 * @param url       the direct URL, or null
 * @param marker    the environment marker, or null
 */
record Requirement(String text, String name, List<String> extras, String specifier, String url, String marker) {

    private static final Pattern FORM = Pattern.compile(
            "([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[([^]]*)])?\\s*([^;]*?)\\s*(?:;\\s*(.*))?");

    /** The requirement a line states, or null when it is not one (a name, then an optional specifier). */
    static Requirement parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        String rest = m.group(3).strip();
        String url = null;
        if (rest.startsWith("@")) {
            url = rest.substring(1).strip();
            rest = "";
        } else if (rest.startsWith("(") && rest.endsWith(")")) {
            rest = rest.substring(1, rest.length() - 1).strip();
        }
        List<String> extras = m.group(2) == null ? List.of() : List.of(m.group(2).split(",")).stream()
                .map(String::strip).filter(e -> !e.isEmpty()).toList();
        String marker = m.group(4) == null || m.group(4).isBlank() ? null : m.group(4).strip();
        return new Requirement(text.strip(), VendoredPackages.normalised(m.group(1)), extras, rest, url, marker);
    }

    /** Whether a version meets the specifier (see {@link VendoredPackages#satisfies}). */
    boolean allows(String version) {
        return VendoredPackages.satisfies(version, specifier);
    }
}
