package io.cococloud.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import org.apache.tomcat.util.http.fileupload.InvalidFileNameException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.appuser.ClientCaller;
import io.cococloud.data.CollectionPermissions;
import io.cococloud.data.Document;
import io.cococloud.data.DocumentService;
import io.cococloud.data.DocumentView;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;

/**
 * The client API's document writes that carry files, as the cocobase SDK's createDocumentWithFiles and
 * updateDocumentWithFiles send them: multipart, the document's fields as JSON text in {@code data}, and each
 * other field a file (repeated for several). The JSON writes at the same URLs are data's; Spring picks this
 * one by the multipart Content-Type.
 *
 * <p>Each file becomes a static file of the project at {@code uploads/{collection}/{id}/{field}/{name}}, and the
 * field holds its public URL (a list of URLs when the field was sent more than once). Writing a field again
 * replaces its earlier files. Files and document are stored in one transaction: all or nothing. File names are
 * reduced to letters, digits, {@code . _ -}, so the URLs need no encoding.
 */
@RestController
class DocumentFilesController {

    static final String UPLOADS = "uploads/";
    private static final String DATA = "data";
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
    private static final Set<String> RESERVED = Set.of("id", "created_at", "updated_at");
    private static final int MAX_DATA_BYTES = 1024 * 1024;
    private static final int MAX_NAME = 100;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final CollectionPermissions permissions;
    private final DocumentService documents;
    private final StaticFileService files;
    private final StaticProperties limits;
    private final JsonMapper json;

    DocumentFilesController(CollectionPermissions permissions, DocumentService documents, StaticFileService files,
            StaticProperties limits, JsonMapper json) {
        this.permissions = permissions;
        this.documents = documents;
        this.files = files;
        this.limits = limits;
        this.json = json;
    }

    /** The parts of a file-carrying write: the document's fields, and the files of each file field in order. */
    private record Form(Map<String, Object> data, Map<String, List<Part>> files) {}

    @PostMapping(path = "/collections/documents", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    DocumentView create(ClientCaller caller,
            @RequestParam(name = "collection", required = false) String collection, HttpServletRequest request) {
        if (collection == null || collection.isBlank()) {
            throw new InvalidInputException("Name the collection in the query: ?collection=NAME");
        }
        permissions.require(caller, collection, "create");
        Form form = read(request, true);
        Map<String, Object> data = new LinkedHashMap<>(form.data());
        String id = data.get("id") == null ? UUID.randomUUID().toString() : String.valueOf(data.get("id"));
        data.put("id", id);
        Document created = files.write(caller.projectId(), batch -> {
            data.putAll(store(batch, collection, id, form.files()));
            return documents.create(caller.projectId(), collection, data, caller.ownerId());
        });
        return DocumentView.of(collection, permissions.writeAnswer(caller, collection, created, data.keySet()));
    }

    @PatchMapping(path = "/collections/{collection}/documents/{id}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    DocumentView update(ClientCaller caller, @PathVariable String collection, @PathVariable String id,
            HttpServletRequest request) {
        permissions.requireChange(caller, collection, id, "update");
        if (documents.get(caller.projectId(), collection, id).isEmpty()) {
            throw NotFoundException.of("Document " + id + " of " + collection);
        }
        Form form = read(request, false);
        Map<String, Object> data = new LinkedHashMap<>(form.data());
        Document updated = files.write(caller.projectId(), batch -> {
            data.putAll(store(batch, collection, id, form.files()));
            return documents.update(caller.projectId(), collection, id, data)
                    .orElseThrow(() -> NotFoundException.of("Document " + id + " of " + collection));
        });
        // An update right without a read right answers only what was sent, as JSON writes do.
        return DocumentView.of(collection, permissions.writeAnswer(caller, collection, updated, data.keySet()));
    }

    /** Stores each field's files in place of its earlier ones; returns each field's URL or list of URLs. */
    private Map<String, Object> store(UploadBatch batch, String collection, String id, Map<String, List<Part>> parts) {
        Map<String, Object> urls = new LinkedHashMap<>();
        long max = limits.maxFileSize().toBytes();
        parts.forEach((field, fieldParts) -> {
            String folder = StaticPaths.folder(UPLOADS + collection + "/" + id + "/" + field, "document id");
            batch.deleteFolder(folder);
            Set<String> names = new HashSet<>();
            List<String> stored = new ArrayList<>();
            for (Part part : fieldParts) {
                String name = unique(safeName(part.getSubmittedFileName()), names);
                String what = "file '" + name + "' of field '" + field + "'";
                if (part.getSize() > max) {
                    throw UploadBatch.tooLarge(what + " is " + part.getSize() + " bytes, larger than the limit of "
                            + UploadBatch.describe(max) + " per file");
                }
                try (InputStream in = part.getInputStream()) {
                    stored.add(batch.put(StaticPaths.file(folder + name, "file"), in, what).url());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            urls.put(field, stored.size() == 1 ? stored.getFirst() : stored);
        });
        return urls;
    }

    private Form read(HttpServletRequest request, boolean dataRequired) {
        Collection<Part> parts;
        try {
            parts = request.getParts();
        } catch (IOException | ServletException | IllegalStateException | InvalidFileNameException e) {
            // Tomcat throws its InvalidFileNameException bare when the parts are parsed a second time.
            throw new InvalidInputException(UploadExceptionHandler.reason(e));
        }
        Map<String, Object> data = null;
        Map<String, List<Part>> fileFields = new LinkedHashMap<>();
        int fileCount = 0;
        for (Part part : parts) {
            String name = part.getName();
            if (DATA.equals(name)) {
                if (data != null) {
                    throw new InvalidInputException("data was sent twice");
                }
                data = data(part);
            } else if (part.getSubmittedFileName() == null) {
                throw new InvalidInputException("Unknown field '" + name + "': send the document's fields as JSON in"
                        + " 'data' and files as file fields");
            } else {
                if (!FIELD.matcher(name).matches() || RESERVED.contains(name)) {
                    throw new InvalidInputException("File field '" + name + "' must be a field name: a letter or _,"
                            + " then letters, digits, _ or -, at most 64, and not id, created_at or updated_at");
                }
                if (++fileCount > limits.maxUploadFiles()) {
                    throw new InvalidInputException("At most " + limits.maxUploadFiles()
                            + " files may come with one document write");
                }
                fileFields.computeIfAbsent(name, n -> new ArrayList<>()).add(part);
            }
        }
        if (data == null && dataRequired && fileFields.isEmpty()) {
            throw new InvalidInputException("Send the document's fields as JSON in the multipart field 'data'");
        }
        data = data == null ? Map.of() : data;
        for (String field : fileFields.keySet()) {
            if (data.containsKey(field)) {
                throw new InvalidInputException("Field '" + field + "' is both in data and a file field; send it once");
            }
        }
        return new Form(data, fileFields);
    }

    private Map<String, Object> data(Part part) {
        byte[] bytes;
        try (InputStream in = part.getInputStream()) {
            bytes = in.readNBytes(MAX_DATA_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidInputException("data could not be read: " + e.getMessage());
        }
        if (bytes.length > MAX_DATA_BYTES) {
            throw UploadBatch.tooLarge("data is larger than " + UploadBatch.describe(MAX_DATA_BYTES));
        }
        try {
            Map<String, Object> fields = json.readValue(new String(bytes, StandardCharsets.UTF_8), MAP);
            if (fields == null) {
                throw new InvalidInputException("data must be the document's fields as a JSON object");
            }
            return fields;
        } catch (JacksonException e) {
            throw new InvalidInputException("data must be the document's fields as a JSON object: "
                    + e.getOriginalMessage());
        }
    }

    /** The last part of a client's file name, reduced to characters that need no URL encoding. */
    static String safeName(String submitted) {
        String name = submitted == null ? "" : submitted;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^\\.+", "");
        if (name.length() > MAX_NAME) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
            name = name.substring(0, MAX_NAME - extension.length()) + extension;
        }
        return name.isEmpty() ? "file" : name;
    }

    /** {@code a.png}, then {@code a-2.png}, {@code a-3.png}... for the same name twice in one field. */
    private static String unique(String name, Set<String> taken) {
        String candidate = name;
        int dot = name.lastIndexOf('.');
        for (int n = 2; !taken.add(candidate); n++) {
            candidate = dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
        }
        return candidate;
    }
}
