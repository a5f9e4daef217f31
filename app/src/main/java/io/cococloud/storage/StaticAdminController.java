package io.cococloud.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/**
 * A project's static files in the admin API: list, read one, upload one file or a zip of a folder tree, delete.
 * Viewers read; developers write. Uploading to a path that exists replaces the file.
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/static")
class StaticAdminController {

    private static final Set<String> FIELDS = Set.of("file", "zip", "path", "unzip", "strip_top_folder");
    private static final int MAX_PREFIX = StaticPaths.MAX_LENGTH;

    private final StaticFileService files;
    private final StaticProperties limits;

    StaticAdminController(StaticFileService files, StaticProperties limits) {
        this.files = files;
        this.limits = limits;
    }

    /** What an upload stored, and the top folder dropped from a zip's names (null when none was). */
    record UploadResult(List<StaticFile> files, String strippedFolder) {}

    @GetMapping
    List<StaticFile> list(@ProjectRole(Role.VIEWER) Membership project,
            @RequestParam(required = false) String prefix) {
        if (prefix != null && prefix.length() > MAX_PREFIX) {
            throw new InvalidInputException("prefix is " + prefix.length() + " characters long; the limit is "
                    + MAX_PREFIX);
        }
        return files.list(project.projectId(), prefix == null ? "" : prefix);
    }

    /**
     * One file (field {@code file}, stored at {@code path}, by default its own name; a {@code path} ending in /
     * is a folder to put it in), or a zip (field {@code zip}, or a {@code .zip} in {@code file} with
     * {@code unzip=true}) unpacked into the folder {@code path} (by default the root).
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    UploadResult upload(@ProjectRole(Role.DEVELOPER) Membership project, MultipartHttpServletRequest request,
            @RequestParam(required = false) MultipartFile file,
            @RequestParam(required = false) MultipartFile zip,
            @RequestParam(required = false) String path,
            @RequestParam(required = false) Boolean unzip,
            @RequestParam(name = "strip_top_folder", required = false) Boolean stripTopFolder) {
        for (String field : fieldNames(request)) {
            if (!FIELDS.contains(field)) {
                throw new InvalidInputException("Unknown field '" + field + "'; send file or zip, and optionally path,"
                        + " unzip and strip_top_folder");
            }
        }
        if (file == null && zip == null) {
            throw new InvalidInputException("Send a file in the multipart field 'file', or a zip in 'zip'");
        }
        if (file != null && zip != null) {
            throw new InvalidInputException("Send either a file or a zip, not both");
        }
        MultipartFile upload = zip != null ? zip : file;
        String name = upload.getOriginalFilename() == null ? "" : upload.getOriginalFilename();
        boolean isZip = zip != null || (Boolean.TRUE.equals(unzip));
        if (Boolean.TRUE.equals(unzip) && zip == null && !name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
            throw new InvalidInputException("unzip=true needs a .zip file; '" + StaticPaths.printable(name) + "' is not");
        }
        if (!isZip && stripTopFolder != null) {
            throw new InvalidInputException("strip_top_folder applies to zips only");
        }
        if (isZip) {
            return unzip(project, upload, path, stripTopFolder == null || stripTopFolder);
        }
        String target = target(path, name);
        if (upload.getSize() > limits.maxFileSize().toBytes()) {
            throw UploadBatch.tooLarge("file '" + StaticPaths.printable(name) + "' is " + upload.getSize()
                    + " bytes, larger than the limit of " + UploadBatch.describe(limits.maxFileSize().toBytes())
                    + " per file");
        }
        StaticFile stored = files.write(project.projectId(), batch -> {
            try (InputStream in = upload.getInputStream()) {
                return batch.put(target, in, "file '" + StaticPaths.printable(name) + "'");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new UploadResult(List.of(stored), null);
    }

    /**
     * One file's bytes, for the console's previews: it reads them here, with the caller's credentials, and never
     * from the project's own origin. Sent as an attachment under a CSP sandbox: opened directly, nothing in it
     * runs as a page of the console's origin.
     */
    @GetMapping("/**")
    ResponseEntity<byte[]> content(@ProjectRole(Role.VIEWER) Membership project, HttpServletRequest request) {
        String path = pathOf(request);
        StaticFileService.Stored file = files.find(project.projectId(), path).orElseThrow(() -> missing(path));
        byte[] bytes = files.content(project.projectId(), path, file.sha256(), false)
                .orElseThrow(() -> missing(path));
        String name = path.substring(path.lastIndexOf('/') + 1);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, file.contentType())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(name, java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(bytes);
    }

    @DeleteMapping("/**")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.DEVELOPER) Membership project, HttpServletRequest request) {
        String path = pathOf(request);
        if (!files.delete(project.projectId(), path)) {
            throw missing(path);
        }
    }

    private static NotFoundException missing(String path) {
        return NotFoundException.of("Static file " + path);
    }

    /** The file's path after .../static/ in the URL, checked as an upload's path is. */
    private static String pathOf(HttpServletRequest request) {
        String raw = RestOfPath.of(request);
        if (raw == null) {
            throw new InvalidInputException("The file's path in the URL is not valid percent-encoding");
        }
        return StaticPaths.file(raw, "path");
    }

    private UploadResult unzip(Membership project, MultipartFile upload, String folderPath, boolean strip) {
        String folder = StaticPaths.folder(folderPath, "path");
        Path copy = null;
        try {
            // ZipFile reads the central directory first, and needs a file for that
            copy = Files.createTempFile("cococloud-static-", ".zip");
            upload.transferTo(copy);
            Path zipFile = copy;
            ZipImport.Result result = files.write(project.projectId(),
                    batch -> ZipImport.unpack(zipFile, folder, strip, batch));
            return new UploadResult(result.files(), result.strippedFolder());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    // a temporary file; the system cleans its temp folder
                }
            }
        }
    }

    /** Where a single file goes: {@code path}, a folder {@code path} plus the file's name, or the name. */
    private static String target(String path, String originalName) {
        if (path != null && !path.isEmpty() && !path.endsWith("/")) {
            return StaticPaths.file(path, "path");
        }
        // browsers send the bare name; some old clients a whole local path
        String name = originalName.substring(Math.max(originalName.lastIndexOf('/'), originalName.lastIndexOf('\\'))
                + 1);
        if (name.isEmpty()) {
            throw new InvalidInputException("The file has no name: give its path in the field 'path'");
        }
        return StaticPaths.file(StaticPaths.folder(path, "path") + name, "file name");
    }

    private static List<String> fieldNames(MultipartHttpServletRequest request) {
        List<String> names = new ArrayList<>(Collections.list(request.getParameterNames()));
        request.getFileNames().forEachRemaining(names::add);
        return names;
    }
}
