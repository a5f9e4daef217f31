package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** The db object (docs/functions.md#what-every-function-sees), driven from real functions against the real database. */
@IntegrationTest
class DatabaseInFunctionsTest {

    @LocalServerPort
    int port;

    Functions functions;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
    }

    private JsonNode run(String body) {
        return functions.runMain(body);
    }

    private String error(String body) {
        String id = functions.deploy("def main():\n" + body.indent(4));
        return functions.get(id, "").expect(500).json().get("error").asString();
    }

    private void seedPosts() {
        run("""
                for i in range(1, 13):
                    db.create_document('posts', {'id': f'post-{i}', 'title': f'Post {i}', 'views': i * 25,
                                                 'status': 'published' if i % 3 else 'draft', 'tags': ['java'] if i % 2 else ['python']})
                return True
                """);
    }

    @Test
    void aCreatedDocumentIsFlatWithItsIdAndTimesAndCanBeFoundAgain() {
        JsonNode created = run("return db.create_document('notes', {'text': 'hello', 'n': 1})");
        assertThat(created.propertyNames()).contains("id", "text", "n", "created_at", "updated_at");
        String id = created.get("id").asString();
        JsonNode found = run("return db.find_one('notes', id='" + id + "')");
        assertThat(found.get("text").asString()).isEqualTo("hello");
        assertThat(run("return db.find_one('notes', id='missing')").isNull()).isTrue();
    }

    @Test
    void queryFiltersSortsAndPagesWithTotalsAndHasMore() {
        seedPosts();
        JsonNode page = run("return db.query('posts', status='published', views_gte='100', sort='views', order='asc',"
                + " limit=3, offset=1)");
        assertThat(page.get("total").asInt()).isEqualTo(6); // published with views >= 100: 4,5,7,8,10,11
        assertThat(page.get("limit").asInt()).isEqualTo(3);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        assertThat(page.get("data").valueStream().map(d -> d.get("id").asString()).toList())
                .containsExactly("post-5", "post-7", "post-8");
    }

    @Test
    void aMinusSortIsDescendingAndSelectKeepsOnlyTheAskedFieldsAndId() {
        seedPosts();
        JsonNode page = run("return db.query('posts', sort='-views', limit=2, select=['title'])");
        JsonNode first = page.get("data").get(0);
        assertThat(first.get("id").asString()).isEqualTo("post-12");
        assertThat(first.has("title")).isTrue();
        assertThat(first.has("views")).isFalse();
    }

    @Test
    void filtersTheLanguagesOperatorsFromPython() {
        seedPosts();
        assertThat(run("return db.count_documents('posts', tags_contains='python')").asInt()).isEqualTo(6);
        assertThat(run("return db.count('posts', filters={'[or]status': 'draft', '[or]views_lt': 50})").asInt())
                .isEqualTo(5); // drafts 3,6,9,12 plus post-1
        assertThat(run("return db.count_documents('posts', title__startswith='post 1')").asInt()).isEqualTo(4);
        assertThat(run("return db.count_documents('posts', id__in=['post-1', 'post-2', 'nope'])").asInt())
                .isEqualTo(2);
    }

    @Test
    void updateMergesShallowlyAndDeleteSaysWhetherItFoundOne() {
        run("return db.create_document('users_x', {'id': 'u1', 'name': 'Ada', 'meta': {'a': 1}})");
        JsonNode updated = run("return db.update_document('users_x', 'u1', {'age': 36, 'meta': {'b': 2}})");
        assertThat(updated.get("name").asString()).isEqualTo("Ada");
        assertThat(updated.get("age").asInt()).isEqualTo(36);
        assertThat(updated.get("meta").has("a")).isFalse(); // shallow: meta replaced
        assertThat(run("return db.update_document('users_x', 'ghost', {'x': 1})").isNull()).isTrue();
        assertThat(run("return db.delete_document('users_x', 'u1')").asBoolean()).isTrue();
        assertThat(run("return db.delete_document('users_x', 'u1')").asBoolean()).isFalse();
    }

    @Test
    void aGivenIdIsKeptAndAClashRaisesValueError() {
        run("return db.create_document('posts', {'id': 'post-123', 'title': 'x'})");
        assertThat(run("return db.find_one('posts', id='post-123')['title']").asString()).isEqualTo("x");
        assertThat(error("db.create_document('posts', {'id': 'post-123', 'title': 'y'})"))
                .startsWith("ValueError: ").contains("post-123").contains("already exists");
    }

    @Test
    void badInputRaisesValueErrorNamingTheCulprit() {
        assertThat(error("db.query('posts', limit=100000)")).startsWith("ValueError: ").contains("limit");
        assertThat(error("db.query('posts', offset=-1)")).contains("offset");
        assertThat(error("db.query('bad name!')")).contains("collection name");
        assertThat(error("db.query('posts', views__between=1)")).contains("between");
        assertThat(error("db.create_document('posts', ['not', 'a', 'dict'])")).contains("data must be a dict");
        assertThat(error("db.create_document('posts', {'big': 'x' * 2_000_000})")).contains("limit");
    }

    @Test
    void theErrorCanBeCaughtInPython() {
        assertThat(run("""
                try:
                    db.query('posts', limit=100000)
                except ValueError as e:
                    return 'caught: ' + str(e)[:20]
                """).asString()).startsWith("caught: limit");
    }

    @Test
    void searchFindsTermsCaseInsensitivelyInTheGivenFields() {
        seedPosts();
        JsonNode found = run("return [d['id'] for d in db.search_documents('posts', 'POST 1', ['title'], limit=10)]");
        assertThat(found.valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("post-1", "post-10", "post-11", "post-12");
    }

    @Test
    void thePaginationBestPracticeExampleRunsVerbatim() {
        seedPosts();
        String id = functions.deploy("""
                def main():
                    page = int(request.get('page', '1'))
                    limit = int(request.get('limit', '20'))
                    # Enforce max limit
                    limit = min(limit, 100)
                    posts = db.query("posts",
                        limit=limit,
                        offset=(page - 1) * limit
                    )
                    return {
                        "posts": posts['data'],
                        "page": page,
                        "has_more": posts['has_more']
                    }
                """);
        JsonNode result = functions.get(id, "page=2&limit=5").expect(200).json().get("result");
        assertThat(result.get("posts").size()).isEqualTo(5);
        assertThat(result.get("page").asInt()).isEqualTo(2);
        assertThat(result.get("has_more").asBoolean()).isTrue();
    }

    @Test
    void theSameCollectionNameInTwoProjectsNeverMixes() {
        Functions other = Functions.inNewProject(port);
        run("return db.create_document('shared_name', {'id': 'mine', 'owner': 'A'})");
        String bId = other.deploy("def main():\n    db.create_document('shared_name', {'id': 'mine', 'owner': 'B'})\n"
                + "    return [d['owner'] for d in db.query('shared_name')['data']]\n");
        assertThat(other.get(bId, "").expect(200).json().get("result").valueStream().map(JsonNode::asString)
                .toList()).containsExactly("B");
        assertThat(run("return [d['owner'] for d in db.query('shared_name')['data']]").valueStream()
                .map(JsonNode::asString).toList()).containsExactly("A");
        assertThat(run("return db.count_documents('shared_name')").asInt()).isEqualTo(1);
    }
}
