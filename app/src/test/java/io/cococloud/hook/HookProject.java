package io.cococloud.hook;

import static io.cococloud.support.AdminApi.API;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;

/** A fresh project for hook tests: its functions, hooks, client key, and what its recording hooks wrote. */
final class HookProject {

    /** An after-hook that writes each event it receives into the collection hook_log, in arrival order. */
    static final String RECORDER = """
            def main():
                e = request.json()
                db.create_document('hook_log', {'event_type': e['event_type'], 'collection': e['collection'],
                    'document_id': e['document_id'], 'data': e['data'], 'old_data': e['old_data'],
                    'at': e['created_at']})
                return 'recorded'
            """;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final Functions functions;
    final String projectId;
    final String clientKey;
    final String serverKey;
    private final int port;
    private final JdbcTemplate jdbc;

    HookProject(int port, JdbcTemplate jdbc) {
        this.port = port;
        this.jdbc = jdbc;
        this.functions = Functions.inNewProject(port);
        this.projectId = functions.projectId();
        this.clientKey = functions.owner().post(API + "/projects/" + projectId + "/keys", Map.of("kind", "client"))
                .expect(201).json().get("key").asString();
        this.serverKey = functions.owner().post(API + "/projects/" + projectId + "/keys", Map.of("kind", "server"))
                .expect(201).json().get("key").asString();
    }

    AdminApi owner() {
        return functions.owner();
    }

    String hooksPath() {
        return API + "/projects/" + projectId + "/hooks";
    }

    /** Subscribes the function; {@code collection} null means every collection. Returns the hook's id. */
    String hook(String functionId, String collection, String timing, List<String> events) {
        Map<String, Object> body = new HashMap<>();
        body.put("function_id", functionId);
        body.put("collection", collection);
        body.put("timing", timing);
        body.put("events", events);
        return owner().post(hooksPath(), body).expect(201).json().get("id").asString();
    }

    String afterHook(String functionId, String collection) {
        return hook(functionId, collection, "after", List.of("documents.create", "documents.update",
                "documents.delete"));
    }

    /** A call of the client API with the project's client key. */
    AdminApi.Response client(String method, String path, Object body) {
        return AdminApi.anonymous(port).send(method, path, body, Map.of("x-api-key", clientKey));
    }

    /** A call of the client API with the project's server key. */
    AdminApi.Response server(String method, String path, Object body) {
        return AdminApi.anonymous(port).send(method, path, body, Map.of("x-api-key", serverKey));
    }

    String create(String collection, Map<String, Object> data) {
        return client("POST", "/collections/documents?collection=" + collection, Map.of("data", data)).expect(201)
                .json().get("id").asString();
    }

    /** The events the recorder wrote, oldest first. */
    List<JsonNode> log() {
        List<JsonNode> entries = new ArrayList<>();
        jdbc.queryForList("SELECT data::text FROM documents WHERE project_id = ?::uuid AND collection = 'hook_log'"
                + " ORDER BY created_at, id", String.class, projectId).forEach(text -> entries.add(JSON.readTree(text)));
        return entries;
    }

    List<JsonNode> awaitLog(int size) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> log().size() >= size);
        return log();
    }

    /** The function's executions, as the admin API lists them. */
    JsonNode executions(String functionId) {
        return owner().get(functions.functionsPath() + "/" + functionId + "/executions").expect(200).json();
    }

    /** Waits until every hook call of the project has ended and its outbox is empty. */
    void awaitQuiet() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.queryForObject(
                "SELECT (SELECT count(*) FROM hook_events WHERE project_id = ?::uuid)"
                        + " + (SELECT count(*) FROM executions WHERE project_id = ?::uuid AND trigger = 'hook'"
                        + " AND status IN ('queued', 'running'))", Long.class, projectId, projectId) == 0);
    }

    long hookExecutions(String functionId) {
        return jdbc.queryForObject("SELECT count(*) FROM executions WHERE project_id = ?::uuid AND function_id = ?::uuid"
                + " AND trigger = 'hook'", Long.class, projectId, functionId);
    }
}
