package io.cococloud.storage;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.error.NotFoundException;
import io.cococloud.origin.Placement;
import io.cococloud.origin.TenantOrigins;

/**
 * Serves a project's static files at {@code /static/{projectId}/{path}}, the URL {@code static(path)} renders:
 * public, GET and HEAD. The file is looked up by (project, path), so no other project's file is ever reached.
 * Spring MVC answers conditional requests (If-None-Match, If-Modified-Since → 304) from the ETag and
 * Last-Modified set here, and Range requests (206, several ranges as multipart/byteranges) from the Resource.
 * A client that accepts gzip gets the gzip copy stored at upload, unless it asked for a range: ranges are of the
 * file's own bytes. The content is read from the database only when a body is sent, never for 304 or HEAD.
 * Where a file may be served is {@link TenantOrigins}'s to say: on its project's own host as it is, on a host
 * shared with the console under the CSP sandbox when a browser could open it as a page, on the console's host
 * not at all (308 to the project's origin), on another project's host as if it did not exist.
 */
@RestController
class StaticServingController {

    private final StaticFileService files;
    private final StaticProperties settings;
    private final TenantOrigins origins;

    StaticServingController(StaticFileService files, StaticProperties settings, TenantOrigins origins) {
        this.files = files;
        this.settings = settings;
        this.origins = origins;
    }

    @RequestMapping(path = "/static/{projectId}/**", method = {RequestMethod.GET, RequestMethod.HEAD})
    ResponseEntity<Resource> serve(@PathVariable String projectId, HttpServletRequest request) {
        UUID project = uuid(projectId);
        String raw = RestOfPath.of(request);
        Placement placement = project == null ? new Placement.NotHere() : origins.place(request, project);
        String path = placement instanceof Placement.NotHere || raw == null ? null
                : StaticPaths.lookup(raw).orElse(null);
        StaticFileService.Stored file = path == null ? null : files.find(project, path).orElse(null);
        if (file == null) {
            throw NotFoundException.of("Static file " + (raw == null ? "" : StaticPaths.printable(raw)));
        }
        if (placement instanceof Placement.MoveTo move) {
            return ResponseEntity.status(HttpStatus.PERMANENT_REDIRECT).header(HttpHeaders.LOCATION, move.url())
                    .build();
        }
        String range = request.getHeader(HttpHeaders.RANGE);
        boolean gzip = file.gzipSize() != null && range == null && acceptsGzip(request);
        long length = gzip ? file.gzipSize() : file.size();

        ResponseEntity.BodyBuilder answer = ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, file.contentType())
                .eTag("\"" + file.sha256Hex() + (gzip ? "-gzip" : "") + "\"")
                .lastModified(file.updatedAt())
                .header(HttpHeaders.CACHE_CONTROL, settings.cacheControl())
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .header("X-Content-Type-Options", "nosniff");
        if (file.gzipSize() != null) {
            answer.header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        }
        if (gzip) {
            answer.header(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        if (path.startsWith(DocumentFilesController.UPLOADS) || path.startsWith(ClientFilesController.FOLDER)) {
            // app users' uploads (with documents, or on their own): whatever they are, they never run as a page of
            // this origin
            answer.header("Content-Security-Policy", "default-src 'none'; sandbox");
        } else if (placement instanceof Placement.Here(boolean sandboxed) && sandboxed
                && !ContentTypes.inert(file.contentType())) {
            // a page of the project on the console's origin: it runs, but in an opaque origin of its own
            answer.header("Content-Security-Policy", TenantOrigins.SANDBOX);
        }
        if (HttpMethod.HEAD.matches(request.getMethod())) {
            return answer.contentLength(length).build();
        }
        if (range != null && !satisfiable(range, file.size())) {
            // Spring would answer 416 but still send the whole file; this sends no body
            return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + file.size()).build();
        }
        return answer.body(new StoredContent(files, project, file, gzip, length));
    }

    private static boolean satisfiable(String header, long size) {
        try {
            List<HttpRange> ranges = HttpRange.parseRanges(header);
            for (HttpRange range : ranges) {
                // getRangeStart does not check the start against the length; a start past the end is the 416 case
                long start = range.getRangeStart(size);
                if (start >= size || start > range.getRangeEnd(size)) {
                    return false;
                }
            }
            return !ranges.isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code gzip} listed in Accept-Encoding without {@code q=0}. */
    static boolean acceptsGzip(HttpServletRequest request) {
        for (String header : Collections.list(request.getHeaders(HttpHeaders.ACCEPT_ENCODING))) {
            for (String coding : header.split(",")) {
                String[] parts = coding.strip().split(";");
                if (parts[0].strip().toLowerCase(Locale.ROOT).equals("gzip")) {
                    for (int i = 1; i < parts.length; i++) {
                        String parameter = parts[i].strip().replace(" ", "");
                        if (parameter.matches("[qQ]=0(\\.0{0,3})?")) {
                            return false;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private static UUID uuid(String value) {
        if (value.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A file's content, fetched from the database when Spring first reads it (for a body, never for a 304),
     * once, however many ranges are read from it.
     */
    private static final class StoredContent extends AbstractResource {
        private final StaticFileService files;
        private final UUID project;
        private final StaticFileService.Stored file;
        private final boolean gzip;
        private final long length;
        private byte[] bytes;

        StoredContent(StaticFileService files, UUID project, StaticFileService.Stored file, boolean gzip,
                long length) {
            this.files = files;
            this.project = project;
            this.file = file;
            this.gzip = gzip;
            this.length = length;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            if (bytes == null) {
                // pinned to the version whose ETag and length were sent
                bytes = files.content(project, file.path(), file.sha256(), gzip).orElseThrow(
                        () -> new FileNotFoundException("The file changed while it was being served"));
            }
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public long lastModified() {
            return file.updatedAt().toEpochMilli();
        }

        @Override
        public String getFilename() {
            return file.path().substring(file.path().lastIndexOf('/') + 1);
        }

        @Override
        public String getDescription() {
            return "static file " + file.path();
        }
    }
}
