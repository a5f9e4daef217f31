package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;

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
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;

/** Builds site zips and deploys them through the admin API, as a user's script would. */
final class SiteDeploys {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final int port;
    private final AdminApi owner;
    private final String projectId;

    SiteDeploys(int port, AdminApi owner, String projectId) {
        this.port = port;
        this.owner = owner;
        this.projectId = projectId;
    }

    static SiteDeploys inNewProject(int port) {
        AdminApi owner = AdminApi.newAccount(port);
        return new SiteDeploys(port, owner, owner.createProject());
    }

    String projectId() {
        return projectId;
    }

    AdminApi owner() {
        return owner;
    }

    String sitesPath() {
        return API + "/projects/" + projectId + "/sites";
    }

    /** A site's files by path from the zip's root: text as UTF-8, byte[] as is. */
    static Map<String, Object> files(Object... pathsAndContents) {
        Map<String, Object> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put((String) pathsAndContents[i], pathsAndContents[i + 1]);
        }
        return files;
    }

    static byte[] zip(Map<String, Object> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, Object> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue() instanceof byte[] raw ? raw
                        : ((String) file.getValue()).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Deploys the files as the project's site; expects 201 and answers the site's view. */
    JsonNode deploy(Map<String, Object> files) {
        Answer answer = upload(zip(files), "application/zip");
        if (answer.status() != 201) {
            throw new AssertionError("Expected 201 from the deploy but got " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }

    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Answer upload(byte[] body, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + sitesPath()))
                .header("Authorization", "Bearer " + owner.bearerToken()).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Calls the site at /p/{project}{path}. */
    AdminApi.Response call(String method, String path, String body, Map<String, String> headers) {
        return AdminApi.anonymous(port).send(method, "/p/" + projectId + path, body, headers);
    }

    AdminApi.Response get(String path) {
        return call("GET", path, null, Map.of());
    }

    /**
     * GET once the route's code has loaded: a framework route's first call may be told "503, still loading" with
     * Retry-After (a new context imports the framework), as any client may; this one comes back, within minutes.
     */
    AdminApi.Response getOnceLoaded(String path) {
        return io.cococloud.support.OnceLoaded.answer(() -> get(path));
    }
}
