package io.cococloud.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import org.apache.tomcat.util.http.fileupload.InvalidFileNameException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

import io.cococloud.appuser.ClientCaller;
import io.cococloud.error.ForbiddenException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.error.UnauthenticatedException;

/**
 * Files on their own, not in a document: the JS SDK's {@code uploadFile} and the Flutter SDK's
 * {@code uploadFileFromPath} ({@code POST /collections/file}, multipart {@code file} → {@code {url}}), and listing
 * and deleting them. Each is a static file of the project at {@code client-uploads/{uploader}/{random}/{name}}, so
 * its URL is on the project's own origin, unguessable, and counts against the project's file limits. The uploader
 * is {@code u-{user id}} for a signed-in app user, else {@code anonymous} (the JS SDK sends no token): a user lists
 * and deletes its own uploads, a server key all of them.
 */
@RestController
class ClientFilesController {

    static final String FOLDER = "client-uploads/";
    private static final String ANONYMOUS = "anonymous";

    private final StaticFileService files;

    ClientFilesController(StaticFileService files) {
        this.files = files;
    }

    /** An uploaded file: {@code url} is what the SDKs read. */
    record Uploaded(String url, String path, String name, long size, String contentType, String createdAt) {
        static Uploaded of(StaticFile file) {
            return new Uploaded(file.url(), file.path(), file.path().substring(file.path().lastIndexOf('/') + 1),
                    file.size(), file.contentType(), file.createdAt().toString());
        }
    }

    @PostMapping("/collections/file")
    @ResponseStatus(HttpStatus.CREATED)
    Uploaded upload(ClientCaller caller, HttpServletRequest request) {
        Part part = filePart(request);
        String name = DocumentFilesController.safeName(part.getSubmittedFileName());
        String path = StaticPaths.file(FOLDER + uploader(caller) + "/" + UUID.randomUUID() + "/" + name, "file");
        return files.write(caller.projectId(), batch -> {
            try (InputStream in = part.getInputStream()) {
                return Uploaded.of(batch.put(path, in, "file '" + name + "'"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A server key's: every upload; a signed-in user's: its own. */
    @GetMapping("/collections/files")
    List<Uploaded> list(ClientCaller caller) {
        return files.list(caller.projectId(), visibleFolder(caller)).stream().map(Uploaded::of).toList();
    }

    /** {@code ?url=} (as upload answered it) or {@code ?path=}; {@code {"success": true}}. */
    @DeleteMapping("/collections/file")
    java.util.Map<String, Boolean> delete(ClientCaller caller, @RequestParam(required = false) String url,
            @RequestParam(required = false) String path) {
        String target = target(caller, url, path);
        if (!target.startsWith(visibleFolder(caller))) {
            throw new ForbiddenException("Only the app user who uploaded " + target + ", or a server key, may delete"
                    + " it");
        }
        if (!files.delete(caller.projectId(), target)) {
            throw NotFoundException.of("File " + target);
        }
        return java.util.Map.of("success", true);
    }

    private static String uploader(ClientCaller caller) {
        return caller.user() == null ? ANONYMOUS : "u-" + caller.user().id();
    }

    private static String visibleFolder(ClientCaller caller) {
        if (caller.server()) {
            return FOLDER;
        }
        if (caller.user() == null) {
            throw new UnauthenticatedException("Sign in to see or delete your uploads: send Authorization: Bearer"
                    + " <access_token> (or use a server key)");
        }
        return FOLDER + uploader(caller) + "/";
    }

    /** The stored path that a URL given back or a path names; 400 for anything not an upload of this project. */
    private String target(ClientCaller caller, String url, String path) {
        if ((url == null) == (path == null)) {
            throw new InvalidInputException("Name the file with url (as the upload answered it) or path, one of them");
        }
        String given = path;
        if (url != null) {
            String base = files.url(caller.projectId(), "");
            if (!url.startsWith(base)) {
                throw new InvalidInputException("url '" + url + "' is not a file of this project (its files start "
                        + base + ")");
            }
            given = UriUtils.decode(url.substring(base.length()), StandardCharsets.UTF_8);
        }
        String normalised = StaticPaths.file(given, url != null ? "url" : "path");
        if (!normalised.startsWith(FOLDER)) {
            throw new InvalidInputException("'" + given + "' is not an uploaded file; uploads are under " + FOLDER);
        }
        return normalised;
    }

    private static Part filePart(HttpServletRequest request) {
        if (request.getContentType() == null || !request.getContentType().toLowerCase().startsWith("multipart/")) {
            throw new InvalidInputException("Send the file as multipart/form-data in the field 'file'");
        }
        try {
            Part part = request.getPart("file");
            if (part == null || part.getSubmittedFileName() == null) {
                throw new InvalidInputException("Send the file as multipart/form-data in the field 'file'");
            }
            return part;
        } catch (IOException | ServletException | IllegalStateException | InvalidFileNameException e) {
            throw new InvalidInputException(UploadExceptionHandler.reason(e));
        }
    }
}
