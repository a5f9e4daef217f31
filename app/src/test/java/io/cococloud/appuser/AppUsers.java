package io.cococloud.appuser;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.cococloud.support.AdminApi;

/** A fresh project with an API key, and calls to its client API as an app would make them. */
final class AppUsers {

    final AdminApi owner;
    final String projectId;
    final String key;
    private final AdminApi client;

    private AppUsers(AdminApi owner, String projectId, String key, int port) {
        this.owner = owner;
        this.projectId = projectId;
        this.key = key;
        this.client = AdminApi.anonymous(port);
    }

    static AppUsers newProject(int port, String kind) {
        AdminApi owner = AdminApi.newAccount(port);
        String projectId = owner.createProject();
        String key = owner.post(AdminApi.API + "/projects/" + projectId + "/keys", Map.of("kind", kind))
                .expect(201).json().get("key").asString();
        return new AppUsers(owner, projectId, key, port);
    }

    static AppUsers newProject(int port) {
        return newProject(port, "client");
    }

    static String email() {
        return "app-" + UUID.randomUUID() + "@example.test";
    }

    AdminApi.Response call(String method, String path, Object body) {
        return callAs(method, path, body, null);
    }

    AdminApi.Response callAs(String method, String path, Object body, String accessToken) {
        Map<String, String> headers = new HashMap<>();
        headers.put("x-api-key", key);
        if (accessToken != null) {
            headers.put("Authorization", "Bearer " + accessToken);
        }
        return client.send(method, "/auth-collections" + path, body, headers);
    }

    AdminApi.Response raw(String method, String path, Object body, Map<String, String> headers) {
        return client.send(method, "/auth-collections" + path, body, headers);
    }

    /** Signs a new user up and returns the access token. */
    String signUp(String email, String password) {
        return call("POST", "/signup", Map.of("email", email, "password", password)).expect(201).json()
                .get("access_token").asString();
    }
}
