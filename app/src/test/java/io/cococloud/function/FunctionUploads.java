package io.cococloud.function;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.cococloud.support.AdminApi;

/** Zips made in memory, and the two ways of sending one to the admin API: multipart POST and PUT of the body. */
final class FunctionUploads {

    private final String base;
    private final AdminApi caller;
    private final HttpClient http = HttpClient.newHttpClient();

    FunctionUploads(int port, AdminApi caller) {
        this.base = "http://localhost:" + port;
        this.caller = caller;
    }

    /** A zip of text files, in the order given. */
    static byte[] zip(Map<String, String> files) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((path, text) -> bytes.put(path, text.getBytes(StandardCharsets.UTF_8)));
        return zipBytes(bytes);
    }

    /** A zip of any entries; a name ending in '/' is a folder entry. */
    static byte[] zipBytes(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** POST /functions as multipart: the zip in field {@code zip}, settings as form fields. */
    AdminApi.Response create(String functionsPath, byte[] zip, Map<String, String> fields) {
        String boundary = "----cococloud-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        if (zip != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"fn.zip\""
                    + "\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(zip);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send("POST", functionsPath, body.toByteArray(), "multipart/form-data; boundary=" + boundary);
    }

    /** PUT /functions/{f}/code with the zip as the body; {@code query} without '?', may be empty. */
    AdminApi.Response replace(String functionPath, byte[] zip, String query) {
        return send("PUT", functionPath + "/code" + (query.isEmpty() ? "" : "?" + query), zip, "application/zip");
    }

    AdminApi.Response send(String method, String path, byte[] body, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + caller.bearerToken()).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return new AdminApi.Response(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
