package io.cococloud.function;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.cococloud.runtime.Outcome;
import io.cococloud.web.ConsoleCookies;

/**
 * The cookies a function's answer may set. Never one that could stand in for the console's session or CSRF
 * cookie (session fixation: a visitor would act in the console as the function's author chose), never one whose
 * Path is under {@code /admin} or {@code /console} (it would be sent there before the console's own), and never
 * one with a Domain wider than the request's own host (it would reach the console or other projects' hosts).
 * Such a Set-Cookie is dropped and the execution's logs say so, so the author can see why the cookie never came.
 */
final class FunctionCookies {

    private FunctionCookies() {}

    /** The outcome without the Set-Cookie headers it may not send, with a log line for each one dropped. */
    static Outcome screen(Outcome outcome, String requestHost) {
        if (outcome.headers().keySet().stream().noneMatch(FunctionCookies::isSetCookie)) {
            return outcome;
        }
        Map<String, String> kept = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        outcome.headers().forEach((name, value) -> {
            String why = isSetCookie(name) ? refusal(value, requestHost) : null;
            if (why == null) {
                kept.put(name, value);
            } else {
                dropped.add("Set-Cookie dropped: " + why);
            }
        });
        if (dropped.isEmpty()) {
            return outcome;
        }
        String logs = outcome.logs() == null ? "" : outcome.logs();
        StringBuilder more = new StringBuilder(logs);
        if (!logs.isEmpty() && !logs.endsWith("\n")) {
            more.append('\n');
        }
        dropped.forEach(line -> more.append(line).append('\n'));
        return new Outcome(outcome.kind(), outcome.status(), kept, outcome.resultJson(), outcome.body(),
                outcome.output(), more.toString(), outcome.error(), outcome.traceback(), outcome.nanos());
    }

    private static boolean isSetCookie(String header) {
        return header.equalsIgnoreCase("Set-Cookie");
    }

    /** Why this Set-Cookie value may not be sent, or null when it may. */
    static String refusal(String setCookie, String requestHost) {
        String[] parts = setCookie.split(";");
        int eq = parts[0].indexOf('=');
        String name = eq < 0 ? "" : parts[0].substring(0, eq).strip();
        if (name.isEmpty()) {
            // a browser takes "SESSION" or "=SESSION=x" as a cookie without a name: whose name is then unclear
            return "a cookie needs a name (name=value)";
        }
        if (ConsoleCookies.isConsoleCookieName(name)) {
            return "'" + name + "' is a name of the console's own cookies (its session and CSRF token)";
        }
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].strip();
            int sign = attribute.indexOf('=');
            String key = (sign < 0 ? attribute : attribute.substring(0, sign)).strip().toLowerCase(Locale.ROOT);
            String value = sign < 0 ? "" : attribute.substring(sign + 1).strip();
            if (key.equals("path") && ConsoleCookies.isConsolePath(value)) {
                return "'" + name + "' has Path=" + value + ", under the console's paths (/admin, /console)";
            }
            if (key.equals("domain") && !sameHost(value, requestHost)) {
                return "'" + name + "' has Domain=" + value + ", which reaches beyond this host; leave Domain out"
                        + " (a host-only cookie)";
            }
        }
        return null;
    }

    private static boolean sameHost(String domain, String requestHost) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.startsWith(".")) {
            d = d.substring(1);
        }
        return requestHost != null && !d.isEmpty() && d.equals(requestHost);
    }

    /** The host name of a Host header (lower case, without the port), or null. */
    static String hostName(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? null : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
