package io.cococloud.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;

/** Raw HTTP for static files: multipart uploads and byte-exact downloads, plus zips built in memory. */
final class StaticHttp {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;

    StaticHttp(int port) {
        this.base = "http://localhost:" + port;
    }

    /** An answer with its body as bytes and, when it is JSON, parsed. */
    record Answer(HttpResponse<byte[]> raw) {
        int status() {
            return raw.statusCode();
        }

        String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        byte[] bytes() {
            return raw.body();
        }

        JsonNode json() {
            return JSON.readTree(text());
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String detail() {
            return json().get("detail").asString();
        }

        Answer expect(int status) {
            if (raw.statusCode() != status) {
                throw new AssertionError("Expected " + status + " from " + raw.request().method() + " "
                        + raw.request().uri() + " but got " + raw.statusCode() + ": " + text());
            }
            return this;
        }
    }

    /** POSTs a multipart upload to a project's static files as the given admin caller. */
    Answer upload(AdminApi caller, String projectId, Multipart form) {
        return multipart("POST", AdminApi.API + "/projects/" + projectId + "/static", form,
                Map.of("Authorization", "Bearer " + caller.bearerToken()));
    }

    Answer multipart(String method, String path, Multipart form, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", form.contentType())
                .method(method, HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
        headers.forEach(request::header);
        return send(request);
    }

    /** A request with no body; the path is sent as written (raw, not re-encoded). */
    Answer request(String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    Answer get(String path, String... headers) {
        return request("GET", path, headers);
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            return new Answer(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A zip of name → content (String or byte[]); a name ending in / is a folder entry. */
    static byte[] zip(Map<String, ?> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, ?> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                Object content = entry.getValue();
                if (content instanceof String text) {
                    zip.write(text.getBytes(StandardCharsets.UTF_8));
                } else if (content instanceof byte[] bytes) {
                    zip.write(bytes);
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
