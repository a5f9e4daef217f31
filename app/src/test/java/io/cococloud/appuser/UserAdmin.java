package io.cococloud.appuser;

import java.util.HashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;

/** A fresh project with a client key (AppUsers) and its app users as the admin API shows them. */
final class UserAdmin {

    final int port;
    final AppUsers app;
    final String users;

    private UserAdmin(int port, AppUsers app) {
        this.port = port;
        this.app = app;
        this.users = AdminApi.API + "/projects/" + app.projectId + "/users";
    }

    static UserAdmin newProject(int port) {
        return new UserAdmin(port, AppUsers.newProject(port));
    }

    AdminApi owner() {
        return app.owner;
    }

    /** Creates a user through the admin API and gives its admin view. */
    JsonNode create(String email, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("email", email);
        body.putIfAbsent("password", "password-1");
        return owner().post(users, body).expect(201).json();
    }

    String createId(String email, Map<String, Object> extra) {
        return create(email, extra).get("id").asString();
    }

    /** A new console account that is a member of the project with {@code role}. */
    AdminApi member(String role) {
        AdminApi member = AdminApi.newAccount(port);
        owner().addMember(app.projectId, member, role);
        return member;
    }

    /** A new server key of the project. */
    String serverKey() {
        return owner().post(AdminApi.API + "/projects/" + app.projectId + "/keys", Map.of("kind", "server"))
                .expect(201).json().get("key").asString();
    }

    /** A client-API call with the given key (and bearer token, if any). */
    AdminApi.Response client(String method, String path, Object body, String key, String accessToken) {
        Map<String, String> headers = new HashMap<>();
        headers.put("x-api-key", key);
        if (accessToken != null) {
            headers.put("Authorization", "Bearer " + accessToken);
        }
        return app.raw(method, path, body, headers);
    }

    /** A call of any client-API path (e.g. /collections) with a key. */
    AdminApi.Response clientPath(String method, String path, Object body, String key) {
        return AdminApi.anonymous(port).send(method, path, body, Map.of("x-api-key", key));
    }
}
