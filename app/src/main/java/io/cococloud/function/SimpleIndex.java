package io.cococloud.function;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 503 "simple" repository (PyPI's https://pypi.org/simple/, a devpi or Nexus mirror): a project's page,
 * {@code <index>/<name>/}, lists its files as links, with the file's sha256 in the fragment ({@code #sha256=}),
 * {@code data-requires-python} and {@code data-yanked} (PEP 592). Every request is bounded in time and size.
 */
final class SimpleIndex implements PackageSource {

    /** A project page: PyPI's biggest are a few MB. */
    private static final int MAX_PAGE_BYTES = 16 * 1024 * 1024;
    private static final Pattern ANCHOR = Pattern.compile("<a\\s([^>]*)>([^<]*)</a>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+)))?");

    private final URI index;
    private final Duration timeout;
    private final HttpClient http;

    SimpleIndex(String url, Duration timeout) {
        this.index = URI.create(url.endsWith("/") ? url : url + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public List<IndexedFile> files(String project) throws IOException {
        URI page = index.resolve(project + "/");
        HttpResponse<InputStream> response = get(page, "text/html");
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return List.of();
            }
            if (response.statusCode() != 200) {
                throw new IOException("the index answered " + response.statusCode() + " for " + shown(page));
            }
            String html = new String(PackageFiles.bounded(body, MAX_PAGE_BYTES, "the page of " + project),
                    StandardCharsets.UTF_8);
            return links(response.uri(), html);
        }
    }

    private List<IndexedFile> links(URI page, String html) throws IOException {
        List<IndexedFile> files = new ArrayList<>();
        Matcher anchor = ANCHOR.matcher(html);
        while (anchor.find()) {
            String href = null;
            String requiresPython = null;
            boolean yanked = false;
            Matcher attribute = ATTRIBUTE.matcher(anchor.group(1));
            while (attribute.find()) {
                String value = attribute.group(2) != null ? attribute.group(2)
                        : attribute.group(3) != null ? attribute.group(3) : attribute.group(4);
                switch (attribute.group(1).toLowerCase(Locale.ROOT)) {
                    case "href" -> href = unescape(value);
                    case "data-requires-python" -> requiresPython = value == null ? null : unescape(value);
                    case "data-yanked" -> yanked = true;
                    default -> {
                    }
                }
            }
            if (href == null) {
                continue;
            }
            URI target;
            try {
                target = page.resolve(new URI(href.replace(" ", "%20")));
            } catch (URISyntaxException e) {
                continue; // a link this client cannot follow is not offered
            }
            String fragment = target.getFragment();
            String sha256 = fragment != null && fragment.startsWith("sha256=")
                    ? fragment.substring("sha256=".length()).toLowerCase(Locale.ROOT) : null;
            String location = target.toString().split("#", 2)[0];
            String path = target.getPath() == null ? "" : target.getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            files.add(new IndexedFile(name, location, shown(URI.create(location)), sha256, requiresPython, yanked,
                    this));
        }
        return files;
    }

    @Override
    public byte[] read(IndexedFile file, int maxBytes) throws IOException {
        HttpResponse<InputStream> response = get(URI.create(file.location()), "*/*");
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("the index answered " + response.statusCode() + " for " + file.shown());
            }
            return PackageFiles.bounded(body, maxBytes, file.shown());
        }
    }

    private HttpResponse<InputStream> get(URI uri, String accept) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept)
                .header("User-Agent", "CocoCloud").GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + shown(uri), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot read " + shown(uri) + ": " + e.getMessage(), e);
        }
    }

    /** A URL as a tenant may see it: without the user and password a mirror's URL may carry. */
    private static String shown(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return uri.getHost() + uri.getPath();
        }
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    @Override
    public String toString() {
        return "the index " + shown(index);
    }
}
