package io.cococloud.web;

import java.net.URI;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where the console and the admin API live: {@code coco.console-url} (COCO_CONSOLE_URL, by default
 * {@code coco.base-url}). Its scheme decides the console's cookies ({@code __Host-} and Secure under https) and
 * the scheme of every project origin; its host is the one host that never serves tenant content.
 */
@Component
public class ConsoleAddress {

    private final String url;
    private final String scheme;
    private final String host;

    public ConsoleAddress(@Value("${coco.console-url:${coco.base-url}}") String url) {
        this.url = url.replaceAll("/+$", "");
        URI parsed = URI.create(this.url);
        if (parsed.getScheme() == null || parsed.getHost() == null) {
            throw new IllegalArgumentException("coco.console-url (COCO_CONSOLE_URL) must be an absolute http(s) URL,"
                    + " such as https://console.example.com; it is '" + url + "'");
        }
        this.scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("coco.console-url (COCO_CONSOLE_URL) must use http or https: " + url);
        }
        this.host = withoutDefaultPort(parsed.getHost().toLowerCase(Locale.ROOT)
                + (parsed.getPort() < 0 ? "" : ":" + parsed.getPort()), scheme);
    }

    /** The console's URL without a trailing slash, e.g. {@code https://console.example.com}. */
    public String url() {
        return url;
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return scheme;
    }

    /** The host as browsers send it in the Host header: lower case, with the port unless it is the default. */
    public String host() {
        return host;
    }

    public boolean secure() {
        return scheme.equals("https");
    }

    /** {@code host:80} under http and {@code host:443} under https are the same origin as {@code host}. */
    public static String withoutDefaultPort(String host, String scheme) {
        String defaultPort = scheme.equals("https") ? ":443" : ":80";
        return host.endsWith(defaultPort) ? host.substring(0, host.length() - defaultPort.length()) : host;
    }
}
