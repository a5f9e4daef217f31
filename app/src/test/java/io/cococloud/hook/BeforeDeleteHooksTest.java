package io.cococloud.hook;

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

/** Before-hooks on documents.delete (docs/hooks.md#before-a-delete): they may refuse a delete, never half a batch. */
@IntegrationTest
class BeforeDeleteHooksTest {

    /** Refuses to delete a locked document; answers data (meaningless for a delete) for the others. */
    static final String GUARD = """
            def main():
                e = request.json()
                if not e:
                    return 'warm'
                if e['event_type'] == 'documents.delete' and e['data'].get('locked'):
                    return {'reject': 'document ' + e['document_id'] + ' is locked'}
                return {'data': {'ignored': True}}
            """;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    HookProject project;

    @BeforeEach
    void project() {
        project = new HookProject(port, jdbc);
        // warmed once: a function's first call loads its code, which the hook's 2 s may not cover on a busy machine
        String guard = project.functions.deploy(GUARD);
        project.functions.post(guard, Map.of()).expect(200);
        project.hook(guard, "posts", "before", List.of("documents.delete"));
    }

    private boolean exists(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM documents WHERE project_id = ?::uuid AND collection = 'posts'"
                + " AND id = ?", Long.class, project.projectId, id) > 0;
    }

    @Test
    void aBeforeDeleteHookRefusesTheDeleteWithA400AndTheDocumentStays() {
        String id = project.create("posts", Map.of("title", "Kept", "locked", true));

        JsonNode problem = project.client("DELETE", "/collections/posts/documents/" + id, null).expect(400).json();

        assertThat(problem.get("detail").asString()).isEqualTo("document " + id + " is locked");
        assertThat(exists(id)).isTrue();
    }

    @Test
    void aBeforeDeleteHookLetsADeleteItDoesNotRefuseGoAhead() {
        String id = project.create("posts", Map.of("title", "Gone"));

        project.client("DELETE", "/collections/posts/documents/" + id, null).expect(200);

        assertThat(exists(id)).isFalse();
    }

    @Test
    void aBatchDeleteWithOneRefusedDocumentDeletesNoneOfThem() {
        String free = project.create("posts", Map.of("title", "Free"));
        String locked = project.create("posts", Map.of("title", "Locked", "locked", true));

        JsonNode problem = project.client("POST", "/collections/posts/batch/documents/delete",
                Map.of("document_ids", List.of(free, locked))).expect(400).json();

        assertThat(problem.get("detail").asString()).isEqualTo("document " + locked + " is locked");
        assertThat(exists(free)).isTrue();
        assertThat(exists(locked)).isTrue();
    }

    @Test
    void aRefusedDeleteReachesDbInAFunctionAsAValueError() {
        String id = project.create("posts", Map.of("title", "Kept", "locked", true));

        String raised = project.functions.raisedBy("db.delete_document('posts', '" + id + "')");

        assertThat(raised).isEqualTo("ValueError: document " + id + " is locked");
        assertThat(exists(id)).isTrue();
    }
}
