package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** populate (docs/functions.md): references replaced by the records they name, by the resolution rules. */
@IntegrationTest
class PopulateTest {

    @LocalServerPort
    int port;

    Functions functions;

    @BeforeEach
    void aBlog() {
        functions = Functions.inNewProject(port);
        run("""
                ada = db.create_app_user('ada@example.com', 'a-password-1', {'name': 'Ada'})
                db.create_document('categories', {'id': 'cat-1', 'name': 'Science'})
                db.create_document('tags', {'id': 't1', 'label': 'math'})
                db.create_document('tags', {'id': 't2', 'label': 'history'})
                for i in range(1, 4):
                    db.create_document('posts', {'id': f'p{i}', 'title': f'Post {i}', 'status': 'published',
                        'excerpt': 'x', 'author_id': ada.id, 'category_id': 'cat-1', 'tag_ids': ['t1', 't2']})
                db.create_document('comments', {'id': 'c1', 'text': 'nice', 'post_id': 'p1'})
                return True
                """);
    }

    private JsonNode run(String body) {
        return functions.runMain(body);
    }

    @Test
    void anIdFieldIsReplacedByItsRecordUnderTheBaseNameAndTheIdStays() {
        JsonNode post = run("return db.query('posts', populate=['author', 'category'], sort='id', order='asc')"
                + "['data'][0]");
        assertThat(post.get("author").get("name").asString()).isEqualTo("Ada"); // an app user's data.name
        assertThat(post.get("author").get("email").asString()).isEqualTo("ada@example.com");
        assertThat(post.get("author").has("password_hash")).isFalse();
        assertThat(post.get("category").get("name").asString()).isEqualTo("Science"); // categories: plural
        assertThat(post.get("category_id").asString()).isEqualTo("cat-1");
    }

    @Test
    void aListOfIdsBecomesAListOfRecords() {
        JsonNode post = run("return db.find_one('posts', id='p1', populate=['tag'])");
        assertThat(post.get("tag").valueStream().map(t -> t.get("label").asString()).toList())
                .containsExactly("math", "history");
    }

    @Test
    void aDottedEntryPopulatesDeeperAndAnExplicitTargetWins() {
        JsonNode comment = run("return db.find_one('comments', id='c1', populate=['post.author'])");
        assertThat(comment.get("post").get("title").asString()).isEqualTo("Post 1");
        assertThat(comment.get("post").get("author").get("name").asString()).isEqualTo("Ada");
        JsonNode explicit = run("return db.find_one('posts', id='p2', populate=['category:categories'])");
        assertThat(explicit.get("category").get("name").asString()).isEqualTo("Science");
    }

    @Test
    void aBadEntryRaisesValueError() {
        String id = functions.deploy("def main():\n    db.query('posts', populate=['bad entry!'])\n");
        assertThat(functions.get(id, "").expect(500).json().get("error").asString()).startsWith("ValueError: ")
                .contains("populate");
    }

    @Test
    void theDynamicWebPageExampleRendersVerbatim() {
        String id = functions.deploy("""
                def main():
                    # Get page from query param
                    page = int(request.query_params.get('page', '1'))
                    per_page = 10
                    # Get posts from database
                    posts = db.query("posts",
                        status="published",
                        populate=["author", "category"],
                        sort="created_at",
                        order="desc",
                        limit=per_page,
                        offset=(page - 1) * per_page
                    )
                    # Render HTML
                    html = '''
                    <h1>My Blog</h1>
                    {% for post in posts %}
                    <article class="post">
                    <h2>{{ post.title }}</h2>
                    <span>By {{ post.author.name }}</span>
                    <span class="category">{{ post.category.name }}</span>
                    </article>
                    {% endfor %}
                    {% if not posts %}
                    <p>No posts found.</p>
                    {% endif %}
                    <span>Page {{ page }} of {{ total_pages }}</span>
                    {% if has_more %}
                    <a href="?page={{ page + 1 }}">Next →</a>
                    {% endif %}
                    <link rel="stylesheet" href="{{ static('css/blog.css') }}">
                    '''
                    return render.render_html(html, {
                        'posts': posts['data'],
                        'page': page,
                        'total_pages': (posts['total'] + per_page - 1) // per_page,
                        'has_more': posts['has_more']
                    })
                """);
        String html = functions.get(id, "page=1").expect(200).body();
        assertThat(html).contains("<h2>Post 1</h2>").contains("By Ada").contains("Science")
                .contains("Page 1 of 1").doesNotContain("Next").doesNotContain("No posts found")
                .contains("/static/" + functions.projectId() + "/css/blog.css");
    }
}
