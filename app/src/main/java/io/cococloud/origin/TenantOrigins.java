package io.cococloud.origin;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import io.cococloud.web.ConsoleAddress;

/**
 * Tenant content never runs with the console's origin. With {@code coco.public-domain} set (COCO_PUBLIC_DOMAIN,
 * e.g. {@code apps.example.com}), each project has an origin of its own, {@code {scheme}://{slug}.{public domain}}:
 * its functions and static files are served there, the console's host serves none of them (it redirects), and
 * the URLs the server hands out ({@code static()}, {@code env.base_url}, function URLs) point there. Hosts that
 * are neither (and every host while no public domain is set) are shared with the console: tenant content is
 * served there only inside {@link #SANDBOX}, an opaque origin that reaches no cookie, storage or same-origin API.
 */
@Service
public class TenantOrigins {

    /** The CSP of tenant responses on a shared host: scripts run, but in an opaque origin of their own. */
    public static final String SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";

    static final String ATTRIBUTE = TenantHost.class.getName();
    private static final Logger log = LoggerFactory.getLogger(TenantOrigins.class);
    /** A Host header as browsers send it: a DNS name or an IP literal, an optional port. Anything else is shared. */
    private static final Pattern HOST = Pattern.compile("([a-z0-9-]+(\\.[a-z0-9-]+)*|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?");
    /** ProjectService's slug rule; a label that cannot be a slug is no project's, without asking the database. */
    private static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9-]{2,39}");

    private final ConsoleAddress console;
    private final ProjectSlugs projects;
    private final String publicDomain;
    private final String baseUrl;

    TenantOrigins(ConsoleAddress console, ProjectSlugs projects,
            @Value("${coco.public-domain:}") String publicDomain, @Value("${coco.base-url}") String baseUrl) {
        this.console = console;
        this.projects = projects;
        this.publicDomain = normalizePublicDomain(publicDomain, console.scheme());
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        if (this.publicDomain != null && console.host().endsWith("." + this.publicDomain)) {
            log.warn("The console ({}) is under the public domain {}: the project whose slug is its first label"
                    + " cannot be reached, and project pages are its siblings. Put the console elsewhere.",
                    console.host(), this.publicDomain);
        }
    }

    private static String normalizePublicDomain(String value, String scheme) {
        String domain = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (domain.isEmpty()) {
            return null;
        }
        if (domain.startsWith(".")) {
            domain = domain.substring(1);
        }
        if (!HOST.matcher(domain).matches() || domain.startsWith("[")) {
            throw new IllegalArgumentException("coco.public-domain (COCO_PUBLIC_DOMAIN) must be a host name with an"
                    + " optional port, such as apps.example.com or localhost:8080; it is '" + value + "'");
        }
        return ConsoleAddress.withoutDefaultPort(domain, scheme);
    }

    /** Whether projects have origins of their own (a public domain is set). */
    public boolean separate() {
        return publicDomain != null;
    }

    /**
     * Where links to this project's tenant content start: its origin when projects have their own (unless the
     * project does not exist), else {@code coco.base-url}. No trailing slash.
     */
    public String baseUrlOf(UUID projectId) {
        if (publicDomain == null) {
            return baseUrl;
        }
        return originOf(projectId).orElse(baseUrl);
    }

    private Optional<String> originOf(UUID projectId) {
        return projects.slugOf(projectId).map(this::originOfSlug);
    }

    /** The origin of the project with this slug, {@code {scheme}://{slug}.{public domain}}; null without origins. */
    public String originOfSlug(String slug) {
        return publicDomain == null ? null : console.scheme() + "://" + slug + "." + publicDomain;
    }

    /** The kind of host of a Host header value (null: none sent). */
    public TenantHost classify(String hostHeader) {
        if (publicDomain == null || hostHeader == null) {
            return TenantHost.SHARED;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (!HOST.matcher(host).matches()) {
            return TenantHost.SHARED;
        }
        host = ConsoleAddress.withoutDefaultPort(host, console.scheme());
        if (host.equals(console.host())) {
            return TenantHost.CONSOLE;
        }
        if (!host.endsWith("." + publicDomain)) {
            return TenantHost.SHARED;
        }
        // Under the public domain, every name is a project's or no one's: never the console, never shared.
        String label = host.substring(0, host.length() - publicDomain.length() - 1);
        if (!SLUG.matcher(label).matches()) {
            return TenantHost.project(null);
        }
        return TenantHost.project(projects.idOfSlug(label).orElse(null));
    }

    /** The host of this request, as {@link TenantHostFilter} classified it (or now, if it did not run). */
    public TenantHost hostOf(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof TenantHost host) {
            return host;
        }
        TenantHost host = classify(request.getHeader("Host"));
        request.setAttribute(ATTRIBUTE, host);
        return host;
    }

    /** Where the tenant content of this project that the request asks for may be served. */
    public Placement place(HttpServletRequest request, UUID projectId) {
        TenantHost host = hostOf(request);
        return switch (host.kind()) {
            case SHARED -> new Placement.Here(true);
            case PROJECT -> projectId.equals(host.projectId()) ? new Placement.Here(false) : new Placement.NotHere();
            case CONSOLE -> originOf(projectId)
                    .<Placement>map(origin -> new Placement.MoveTo(origin + request.getRequestURI()
                            + (request.getQueryString() == null ? "" : "?" + request.getQueryString())))
                    .orElseGet(Placement.NotHere::new);
        };
    }
}
