package io.cococloud.hook;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.IntegrationTest;

/** After-hooks on documents (docs/hooks.md; issue 16 §2): run later, at least once, in order per document. */
@IntegrationTest
class AfterHooksTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    HookProject project;

    @BeforeEach
    void project() {
        project = new HookProject(port, jdbc);
    }

    @Test
    void anAfterHookReceivesCreateUpdateAndDeleteInOrderWithTheOldData() {
        String recorder = project.functions.deploy(HookProject.RECORDER);
        project.afterHook(recorder, "posts");

        String id = project.create("posts", Map.of("title", "first"));
        project.client("PATCH", "/collections/posts/documents/" + id, Map.of("data", Map.of("title", "second")))
                .expect(200);
        project.client("DELETE", "/collections/posts/documents/" + id, null).expect(200);

        List<JsonNode> log = project.awaitLog(3);
        assertThat(log).extracting(e -> e.get("event_type").asString())
                .containsExactly("documents.create", "documents.update", "documents.delete");
        assertThat(log).allSatisfy(e -> {
            assertThat(e.get("collection").asString()).isEqualTo("posts");
            assertThat(e.get("document_id").asString()).isEqualTo(id);
            assertThat(e.get("at").asString()).isNotBlank();
        });
        assertThat(log.get(0).get("data").get("title").asString()).isEqualTo("first");
        assertThat(log.get(0).get("old_data").isNull()).isTrue();
        assertThat(log.get(1).get("data").get("title").asString()).isEqualTo("second");
        assertThat(log.get(1).get("old_data").get("title").asString()).isEqualTo("first");
        assertThat(log.get(2).get("old_data").get("title").asString()).isEqualTo("second");
        assertThat(project.executions(recorder).get(0).get("trigger").asString()).isEqualTo("hook");
    }

    @Test
    void writesThroughTheAdminApiAndThroughDbInAFunctionFireTheHookToo() {
        String recorder = project.functions.deploy(HookProject.RECORDER);
        project.afterHook(recorder, "posts");
        String writer = project.functions.deploy("""
                def main():
                    return db.create_document('posts', {'id': 'from-function', 'by': 'db'})['id']
                """);

        project.owner().post(API + "/projects/" + project.projectId + "/collections/posts/documents",
                Map.of("data", Map.of("id", "from-admin", "by", "admin"))).expect(201);
        project.functions.post(writer, Map.of()).expect(200);

        List<JsonNode> log = project.awaitLog(2);
        assertThat(log).extracting(e -> e.get("document_id").asString())
                .containsExactlyInAnyOrder("from-admin", "from-function");
        assertThat(log).extracting(e -> e.get("event_type").asString()).containsOnly("documents.create");
    }

    @Test
    void aHooksOwnWritesDoNotTriggerIt() {
        String recorder = project.functions.deploy(HookProject.RECORDER);
        project.afterHook(recorder, null); // every collection, hook_log included

        project.create("posts", Map.of("title", "once"));

        assertThat(project.awaitLog(1)).hasSize(1);
        project.awaitQuiet();
        // its write into hook_log ran no second call: one execution, and nothing waits in the outbox
        assertThat(project.log()).hasSize(1);
        assertThat(project.hookExecutions(recorder)).isEqualTo(1);
    }

    @Test
    void aFailedCallIsRetriedAndTheDocumentsLaterEventsWaitForIt() {
        // The first attempt for each document fails; its retry succeeds (the function's async_retries apply).
        String flaky = project.functions.deploy("""
                def main():
                    e = request.json()
                    key = e['document_id'] + '-' + e['event_type']
                    if e['event_type'] == 'documents.create' and db.find_one('tries', id=key) is None:
                        db.create_document('tries', {'id': key})
                        raise ValueError('the first attempt fails')
                    db.create_document('hook_log', {'event_type': e['event_type'], 'document_id': e['document_id']})
                """);
        project.afterHook(flaky, "posts");

        String id = project.create("posts", Map.of("n", 1));
        project.client("PATCH", "/collections/posts/documents/" + id, Map.of("data", Map.of("n", 2))).expect(200);

        List<JsonNode> log = project.awaitLog(2);
        assertThat(log).extracting(e -> e.get("event_type").asString())
                .containsExactly("documents.create", "documents.update");
        project.awaitQuiet();
        Integer createAttempts = jdbc.queryForObject("SELECT attempts FROM executions WHERE project_id = ?::uuid"
                + " AND function_id = ?::uuid ORDER BY created_at LIMIT 1", Integer.class, project.projectId, flaky);
        assertThat(createAttempts).isEqualTo(2);
    }

    @Test
    void aHookOfOneCollectionIsNotRunForAnother() {
        String recorder = project.functions.deploy(HookProject.RECORDER);
        project.afterHook(recorder, "posts");

        project.create("comments", Map.of("text", "not watched"));
        project.create("posts", Map.of("title", "watched"));

        project.awaitLog(1);
        project.awaitQuiet();
        assertThat(project.log()).extracting(e -> e.get("collection").asString()).containsExactly("posts");
    }

    @Test
    void anotherProjectsHookNeverSeesThisProjectsWritesNorSubscribesItsFunctions() {
        HookProject other = new HookProject(port, jdbc);
        String otherRecorder = other.functions.deploy(HookProject.RECORDER);
        other.afterHook(otherRecorder, "posts");
        String recorder = project.functions.deploy(HookProject.RECORDER);
        project.afterHook(recorder, "posts");

        project.create("posts", Map.of("title", "mine"));

        project.awaitLog(1);
        project.awaitQuiet();
        assertThat(other.hookExecutions(otherRecorder)).isZero();
        assertThat(other.log()).isEmpty();
        // a function of this project cannot be subscribed in the other
        other.owner().post(other.hooksPath(), Map.of("function_id", recorder, "events", List.of("documents.create")))
                .expect(400);
        // nor is this project's hook visible there
        String hookId = project.owner().get(project.hooksPath()).expect(200).json().get(0).get("id").asString();
        other.owner().get(other.hooksPath() + "/" + hookId).expect(404);
        other.owner().delete(other.hooksPath() + "/" + hookId).expect(404);
    }

    @Test
    void aSubscriptionWithAnUnknownEventIsRefusedNamingIt() {
        String recorder = project.functions.deploy(HookProject.RECORDER);

        JsonNode problem = project.owner().post(project.hooksPath(), Map.of("function_id", recorder,
                "events", List.of("documents.upsert"))).expect(400).json();

        assertThat(problem.get("detail").asString()).contains("documents.upsert");
        assertThat(problem.get("field").asString()).isEqualTo("events");
    }

    @Test
    void aDeletedHookRunsNoMore() {
        String recorder = project.functions.deploy(HookProject.RECORDER);
        String hook = project.afterHook(recorder, "posts");
        project.create("posts", Map.of("title", "before"));
        project.awaitLog(1);

        project.owner().delete(project.hooksPath() + "/" + hook).expect(204);
        project.create("posts", Map.of("title", "after"));

        project.awaitQuiet();
        assertThat(project.hookExecutions(recorder)).isEqualTo(1);
        assertThat(project.owner().get(project.hooksPath()).expect(200).json().size()).isZero();
    }
}
