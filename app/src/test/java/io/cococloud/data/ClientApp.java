package io.cococloud.data;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;

/** A fresh project with a client and a server key, calling /collections as an app (or its server) would. */
public final class ClientApp {

    public final AdminApi owner;
    public final String projectId;
    public final String clientKey;
    public final String serverKey;
    private final AdminApi http;

    private ClientApp(int port, AdminApi owner, String projectId) {
        this.owner = owner;
        this.projectId = projectId;
        clientKey = key(owner, "client");
        serverKey = key(owner, "server");
        http = AdminApi.anonymous(port);
    }

    private ClientApp(ClientApp same, int port) {
        this.owner = same.owner;
        this.projectId = same.projectId;
        this.clientKey = same.clientKey;
        this.serverKey = same.serverKey;
        this.http = AdminApi.anonymous(port);
    }

    /** The same project and keys, calling another server instance (a second node on the same database). */
    public ClientApp through(int port) {
        return new ClientApp(this, port);
    }

    public static ClientApp newProject(int port) {
        AdminApi owner = AdminApi.newAccount(port);
        return new ClientApp(port, owner, owner.createProject());
    }

    /** Client and server keys of the project that {@code functions} deploys into. */
    static ClientApp forProject(int port, Functions functions) {
        return new ClientApp(port, functions.owner(), functions.projectId());
    }

    /** Replaces the project's app user settings through the admin API, as its owner. */
    void userSettings(Map<String, Object> settings) {
        owner.put(AdminApi.API + "/projects/" + projectId + "/users/settings", settings).expect(200);
    }

    /** Signs a user up with the client key, as anyone holding the app can; gives {@code {access_token, user}}. */
    JsonNode signUpWith(String email, Map<String, Object> data) {
        return call("POST", "/auth-collections/signup", Map.of("email", email, "password", "password-1", "data",
                data)).expect(201).json();
    }

    private String key(AdminApi owner, String kind) {
        return owner.post(AdminApi.API + "/projects/" + projectId + "/keys", Map.of("kind", kind)).expect(201).json()
                .get("key").asString();
    }

    /** As the app: the client key, no user. */
    public AdminApi.Response call(String method, String path, Object body) {
        return send(method, path, body, clientKey, null);
    }

    /** As the app with a signed-in user. */
    public AdminApi.Response as(String token, String method, String path, Object body) {
        return send(method, path, body, clientKey, token);
    }

    /** As the app's server: the server key. */
    public AdminApi.Response server(String method, String path, Object body) {
        return send(method, path, body, serverKey, null);
    }

    AdminApi.Response send(String method, String path, Object body, String key, String token) {
        return send(method, path, body, key, token, Map.of());
    }

    AdminApi.Response send(String method, String path, Object body, String key, String token,
            Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        if (key != null) {
            headers.put("x-api-key", key);
        }
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return http.send(method, path, body, headers);
    }

    /** Signs a user up (roles granted through the server key) and returns the access token. */
    public String signUp(String... roles) {
        return server("POST", "/auth-collections/signup", Map.of("email", "app-" + UUID.randomUUID()
                + "@example.test", "password", "password-1", "roles", List.of(roles))).expect(201).json()
                .get("access_token").asString();
    }

    /** Creates a document through the client API and returns its id. */
    public String create(String collection, Map<String, Object> data) {
        return call("POST", "/collections/documents?collection=" + collection, Map.of("data", data)).expect(201)
                .json().get("id").asString();
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
