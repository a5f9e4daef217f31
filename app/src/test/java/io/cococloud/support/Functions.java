package io.cococloud.support;

import static io.cococloud.support.AdminApi.API;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** Deploys functions through the admin API and calls their public URLs, as users do. */
public final class Functions {

    private final int port;
    private final AdminApi owner;
    private final String projectId;

    private Functions(int port, AdminApi owner, String projectId) {
        this.port = port;
        this.owner = owner;
        this.projectId = projectId;
    }

    /** A fresh account with a fresh project to deploy into. */
    public static Functions inNewProject(int port) {
        AdminApi owner = AdminApi.newAccount(port);
        return new Functions(port, owner, owner.createProject());
    }

    public AdminApi owner() {
        return owner;
    }

    public String projectId() {
        return projectId;
    }

    /** Deploys {@code code} as a new function (timeout 30 s) and returns its id. */
    public String deploy(String code) {
        return deploy(code, Map.of());
    }

    /** Deploys with extra settings, e.g. {@code Map.of("timeout_s", 2)}. */
    public String deploy(String code, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.putIfAbsent("name", "fn_" + UUID.randomUUID().toString().substring(0, 8));
        body.put("code", code);
        return owner.post(API + "/projects/" + projectId + "/functions", body).expect(201).json().get("id")
                .asString();
    }

    /** Deploys {@code body} as the body of main(), calls it, expects 200 and gives the envelope's result. */
    public JsonNode runMain(String body) {
        String id = deploy("def main():\n" + body.indent(4));
        return get(id, "").expect(200).json().get("result");
    }

    /** Runs {@code call} in a function and answers what it raised, as "ExceptionType: message", or "no error". */
    public String raisedBy(String call) {
        return runMain("try:\n    " + call + "\n    return 'no error'\n"
                + "except Exception as e:\n    return type(e).__name__ + ': ' + str(e)").asString();
    }

    public String functionsPath() {
        return API + "/projects/" + projectId + "/functions";
    }

    /** GET /functions/{id}/execute with an optional query string (without '?'). */
    public AdminApi.Response get(String functionId, String query) {
        return AdminApi.anonymous(port).get("/functions/" + functionId + "/execute"
                + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    /** POST /functions/{id}/execute with a JSON body. */
    public AdminApi.Response post(String functionId, Object jsonBody) {
        return AdminApi.anonymous(port).post("/functions/" + functionId + "/execute", jsonBody);
    }

    public AdminApi.Response call(String method, String path, Object body, Map<String, String> headers) {
        return AdminApi.anonymous(port).send(method, path, body, headers);
    }
}
