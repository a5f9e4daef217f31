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

/** Before-hooks (docs/hooks.md; issue 16 §2): run in the write, may change or refuse it, bounded in time. */
@IntegrationTest
class BeforeHooksTest {

    /** Adds a slug made of the title; refuses a document without a title. */
    static final String SLUGGER = """
            def main():
                e = request.json()
                if not e:
                    return 'warm'
                data = e['data']
                if not data.get('title'):
                    return {'reject': 'title is required'}
                return {'data': {**data, 'slug': data['title'].lower().replace(' ', '-')}}
            """;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    HookProject project;

    @BeforeEach
    void project() {
        project = new HookProject(port, jdbc);
    }

    /**
     * Deploys a before-hook on posts and calls it once: a function's first call loads its code, which a before-hook's
     * 2 s may not cover on a busy machine (docs/hooks.md says what a write meets meanwhile).
     */
    private String beforeHook(String code) {
        String function = project.functions.deploy(code);
        project.functions.post(function, Map.of()).expect(200);
        project.hook(function, "posts", "before", List.of("documents.create", "documents.update"));
        return function;
    }

    @Test
    void aBeforeHookChangesTheDocumentBeforeItIsStored() {
        beforeHook(SLUGGER);

        JsonNode created = project.client("POST", "/collections/documents?collection=posts",
                Map.of("data", Map.of("title", "Hello World"))).expect(201).json();
        assertThat(created.get("data").get("slug").asString()).isEqualTo("hello-world");
        String id = created.get("id").asString();

        JsonNode updated = project.client("PATCH", "/collections/posts/documents/" + id,
                Map.of("data", Map.of("title", "Second Title"))).expect(200).json();

        assertThat(updated.get("data").get("slug").asString()).isEqualTo("second-title");
        assertThat(jdbc.queryForObject("SELECT data->>'slug' FROM documents WHERE project_id = ?::uuid"
                + " AND collection = 'posts' AND id = ?", String.class, project.projectId, id)).isEqualTo("second-title");
    }

    @Test
    void aBeforeHookRefusesADocumentWithA400CarryingItsMessage() {
        beforeHook(SLUGGER);

        JsonNode problem = project.client("POST", "/collections/documents?collection=posts",
                Map.of("data", Map.of("body", "no title"))).expect(400).json();

        assertThat(problem.get("detail").asString()).isEqualTo("title is required");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM documents WHERE project_id = ?::uuid"
                + " AND collection = 'posts'", Long.class, project.projectId)).isZero();
    }

    @Test
    void aRefusalReachesDbInAFunctionAsAValueErrorWithTheMessage() {
        beforeHook(SLUGGER);

        String raised = project.functions.raisedBy("db.create_document('posts', {'body': 'no title'})");

        assertThat(raised).isEqualTo("ValueError: title is required");
    }

    @Test
    void aRefusedUpdateLeavesTheDocumentAsItWas() {
        beforeHook(SLUGGER);
        String id = project.create("posts", Map.of("title", "Kept"));

        project.client("PATCH", "/collections/posts/documents/" + id, Map.of("data", Map.of("title", ""))).expect(400);

        assertThat(project.client("GET", "/collections/posts/documents/" + id, null).expect(200).json().get("data")
                .get("title").asString()).isEqualTo("Kept");
    }

    @Test
    void aBatchWithOneRefusedDocumentStoresNoneOfThem() {
        beforeHook(SLUGGER);

        JsonNode problem = project.client("POST", "/collections/posts/batch/documents/create", Map.of("documents",
                List.of(Map.of("title", "Fine"), Map.of("body", "no title")))).expect(400).json();

        assertThat(problem.get("detail").asString()).isEqualTo("title is required");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM documents WHERE project_id = ?::uuid"
                + " AND collection = 'posts'", Long.class, project.projectId)).isZero();
    }

    @Test
    void aBeforeHookThatDoesNotAnswerInTimeRefusesTheWriteWith503() {
        beforeHook("""
                def main():
                    if request.json():
                        time.sleep(30)
                    return 'warm'
                """);

        JsonNode problem = project.client("POST", "/collections/documents?collection=posts",
                Map.of("data", Map.of("title", "slow"))).expect(503).json();

        assertThat(problem.get("detail").asString()).contains("did not answer within 2.0 s");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM documents WHERE project_id = ?::uuid"
                + " AND collection = 'posts'", Long.class, project.projectId)).isZero();
    }

    @Test
    void aBeforeHookThatRaisesRefusesTheWriteWithItsError() {
        beforeHook("""
                def main():
                    if request.json():
                        raise ValueError('no posts on Sundays')
                    return 'warm'
                """);

        JsonNode problem = project.client("POST", "/collections/documents?collection=posts",
                Map.of("data", Map.of("title", "x"))).expect(400).json();

        assertThat(problem.get("detail").asString()).isEqualTo("ValueError: no posts on Sundays");
    }
}
