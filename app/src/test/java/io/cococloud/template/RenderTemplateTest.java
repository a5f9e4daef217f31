package io.cococloud.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * render.render_template and render.render_html from Python functions, over HTTP: the reference's render
 * examples, stored templates with extends and include, Jinja2's output byte for byte, escaping, the render
 * budget, errors that name the template, the in-memory copy of stored templates, and tenancy.
 */
@IntegrationTest
class RenderTemplateTest {

    // The stored templates, and what Jinja2 3.1.6 renders from them (FileSystemLoader, autoescape=True, a static()
    // that answers "STATIC/" + path), which the server must answer byte for byte.
    private static final String BASE_HTML = """
            <!DOCTYPE html>
            <html>
            <head>
            <title>{% block title %}{{ title }}{% endblock %}</title>
            <link rel="stylesheet" href="{{ static('css/main.css') }}" />
            </head>
            <body>
            {% include "partials/nav.html" %}
            {% block content %}{% endblock %}
            <script src="{{ static('js/app.js') }}"></script>
            </body>
            </html>
            """;
    private static final String INDEX_HTML = """
            {% extends "base.html" %}
            {% block title %}{{ title }} | My Site{% endblock %}
            {% block content %}
            {# the context of the reference's render_template example: title and user #}
            {% if user %}
            <p>Hello, {{ user.name }}!</p>
            {% else %}
            <p>Please log in</p>
            {% endif %}
            {% endblock %}
            """;
    private static final String NAV_HTML = "<nav><a href=\"/\">{{ title | upper }}</a></nav>";
    private static final String FEATURES_HTML = """
            <h1>{{ title }}</h1>
            <p>{{ user.name }}</p>
            <span>{{ post.views | default(0) }}</span>
            <ul>
            {% for item in items %}
            <li>{{ item.name }}</li>
            {% endfor %}
            </ul>
            {% for user in users %}
            <div>{{ user.email }}</div>
            {% else %}
            <p>No users found</p>
            {% endfor %}
            {% if user %}
            <p>Hello, {{ user.name }}!</p>
            {% else %}
            <p>Please log in</p>
            {% endif %} {% if posts|length > 0 %}
            <h2>Recent Posts</h2>
            {% endif %}
            {{ text | upper }} {{ text | lower }} {{ text | title }} {{ text | truncate(50)
            }} {{ number | round(2) }} {{ list | length }} {{ date | default('N/A') }}
            """;
    private static final String JINJA2_INDEX = "<!DOCTYPE html>\n<html>\n<head>\n<title>Home Page | My Site</title>\n<link rel=\"stylesheet\" href=\"STATIC/css/main.css\" />\n</head>\n<body>\n<nav><a href=\"/\">HOME PAGE</a></nav>\n\n\n\n<p>Please log in</p>\n\n\n<script src=\"STATIC/js/app.js\"></script>\n</body>\n</html>";
    private static final String JINJA2_FEATURES_NO_USERS = "<h1>Home &lt;Page&gt;</h1>\n<p>Ada &amp; Bob</p>\n<span>0</span>\n<ul>\n\n<li>Tea</li>\n\n<li>Cake</li>\n\n</ul>\n\n<p>No users found</p>\n\n\n<p>Hello, Ada &amp; Bob!</p>\n \n<h2>Recent Posts</h2>\n\nTHE QUICK BROWN FOX JUMPS OVER THE LAZY DOG, AGAIN AND AGAIN AND AGAIN the quick brown fox jumps over the lazy dog, again and again and again The Quick Brown Fox Jumps Over The Lazy Dog, Again And Again And Again the quick brown fox jumps over the lazy dog,... 3.14 3 N/A";
    private static final String JINJA2_FEATURES_WITH_USERS = "<h1>Home &lt;Page&gt;</h1>\n<p>Ada &amp; Bob</p>\n<span>0</span>\n<ul>\n\n<li>Tea</li>\n\n<li>Cake</li>\n\n</ul>\n\n<div>a@x.io</div>\n\n<div>b@x.io</div>\n\n\n<p>Hello, Ada &amp; Bob!</p>\n \n<h2>Recent Posts</h2>\n\nTHE QUICK BROWN FOX JUMPS OVER THE LAZY DOG, AGAIN AND AGAIN AND AGAIN the quick brown fox jumps over the lazy dog, again and again and again The Quick Brown Fox Jumps Over The Lazy Dog, Again And Again And Again the quick brown fox jumps over the lazy dog,... 3.14 3 N/A";
    private static final String FEATURES_CONTEXT = "{\"title\": \"Home <Page>\", \"user\": {\"name\": \"Ada & Bob\"}, \"post\": {}, \"items\": [{\"name\": \"Tea\"}, {\"name\": \"Cake\"}], \"posts\": [1], \"text\": \"the quick brown fox jumps over the lazy dog, again and again and again\", \"number\": 3.14159, \"list\": [1, 2, 3]}";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    Functions functions;
    String templates;
    String staticBase;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        templates = AdminApi.API + "/projects/" + functions.projectId() + "/templates";
        staticBase = functions.runMain("return env.static_base_url").asString();
    }

    private void store(String name, String content) {
        functions.owner().post(templates, Map.of("name", name, "content", content)).expect(201);
    }

    /** The reference's render_template example, verbatim: a plain def main() that awaits. */
    @Test
    void theRenderTemplateExampleRendersAStoredTemplateThatExtendsAndIncludes() {
        store("base.html", BASE_HTML);
        store("index.html", INDEX_HTML);
        store("partials/nav.html", NAV_HTML);
        String id = functions.deploy("""
                def main():
                    # Render template stored in your project
                    return await render.render_template(
                        'index.html',
                        context={
                            'title': 'Home Page',
                            'user': request.user
                        }
                    )
                """);

        AdminApi.Response response = functions.get(id, "").expect(200);

        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.body().replace(staticBase, "STATIC/")).isEqualTo(JINJA2_INDEX);
    }

    @Test
    void theReferencesJinja2FeaturesRenderAsJinja2Renders() {
        store("features.html", FEATURES_HTML);
        String id = functions.deploy("""
                def main():
                    context = json.loads(request.get('context'))
                    context['users'] = request.get('users', [])
                    return render.render_template('features.html', context)
                """);

        assertThat(functions.post(id, Map.of("context", FEATURES_CONTEXT)).expect(200).body())
                .isEqualTo(JINJA2_FEATURES_NO_USERS);
        assertThat(functions.post(id, Map.of("context", FEATURES_CONTEXT, "users",
                java.util.List.of(Map.of("email", "a@x.io"), Map.of("email", "b@x.io")))).expect(200).body())
                .isEqualTo(JINJA2_FEATURES_WITH_USERS);
    }

    /** The reference's render.render_html example, verbatim, over posts whose author is a nested object. */
    @Test
    void theRenderHtmlExampleRendersPostsAndStaticUrls() {
        String documents = AdminApi.API + "/projects/" + functions.projectId() + "/collections/posts/documents";
        functions.owner().post(documents, Map.of("data", Map.of("title", "First <post>", "content", "Hello & welcome",
                "author", Map.of("name", "Ada")))).expect(201);
        String id = functions.deploy("""
                def main():
                    # Get data
                    username = request.get('username', 'Guest')
                    posts = db.query("posts", limit=10)
                    # HTML template with Jinja2
                    html = '''
                    <!DOCTYPE html>
                    <html>
                    <head>
                    <title>{{ title }}</title>
                    <link rel="stylesheet" href="{{ static('css/style.css') }}">
                    </head>
                    <body>
                    <h1>Welcome, {{ username }}!</h1>
                    <div class="posts">
                    {% for post in posts %}
                    <article>
                    <h2>{{ post.title }}</h2>
                    <p>{{ post.content }}</p>
                    <span>By {{ post.author.name }}</span>
                    </article>
                    {% endfor %}
                    </div>
                    <script src="{{ static('js/app.js') }}"></script>
                    </body>
                    </html>
                    '''
                    # Render with context
                    return render.render_html(html, {
                        'title': 'My Blog',
                        'username': username,
                        'posts': posts['data']
                    })
                """);

        String html = functions.get(id, "username=Linus").expect(200).body();

        assertThat(html).contains("<title>My Blog</title>", "<h1>Welcome, Linus!</h1>",
                "<h2>First &lt;post&gt;</h2>", "<p>Hello &amp; welcome</p>", "<span>By Ada</span>",
                "href=\"" + staticBase + "css/style.css\"", "src=\"" + staticBase + "js/app.js\"");
    }

    @Test
    void aDocumentFieldHoldingMarkupOrTemplateSyntaxRendersAsText() {
        store("post.html", "<h2>{{ post.title }}</h2><p>{{ post.body }}</p><div>{{ post.html | safe }}</div>");
        String documents = AdminApi.API + "/projects/" + functions.projectId() + "/collections/posts/documents";
        functions.owner().post(documents, Map.of("data", Map.of("id", "p1", "title", "<script>alert(1)</script>",
                "body", "{{ 7*7 }} {% include 'post.html' %}", "html", "<b>trusted</b>"))).expect(201);
        String id = functions.deploy("""
                def main():
                    return render.render_template('post.html', {'post': db.find_one('posts', id='p1')})
                """);

        assertThat(functions.get(id, "").expect(200).body()).isEqualTo(
                "<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2><p>{{ 7*7 }} {% include &#39;post.html&#39; %}</p>"
                        + "<div><b>trusted</b></div>");
    }

    @Test
    void aMissingTemplateRaisesTemplateNotFoundNamingIt() {
        JsonNode caught = functions.runMain("""
                try:
                    render.render_template('emails/none.html')
                except ValueError as e:
                    return {'type': type(e).__name__, 'message': str(e),
                            'is_value_error': isinstance(e, ValueError),
                            'is_render_class': isinstance(e, render.TemplateNotFound)}
                """);
        assertThat(caught.get("type").asString()).isEqualTo("TemplateNotFound");
        assertThat(caught.get("message").asString()).contains("'emails/none.html'");
        assertThat(caught.get("is_value_error").asBoolean()).isTrue();
        assertThat(caught.get("is_render_class").asBoolean()).isTrue();

        String id = functions.deploy("def main():\n    return render.render_template('../etc/passwd')\n");
        assertThat(functions.get(id, "").expect(500).json().get("error").asString())
                .startsWith("TemplateNotFound: ").contains("'../etc/passwd'");
    }

    @Test
    void aTemplateErrorNamesTheTemplateAndLine() {
        store("broken.html", "<p>one</p>\n<p>two</p>\n<p>{{ 1 + }}</p>\n");
        store("outer.html", "<main>\n{% include 'broken.html' %}\n</main>");
        String broken = functions.deploy("def main():\n    return render.render_template('broken.html')\n");
        assertThat(functions.get(broken, "").expect(500).json().get("error").asString())
                .startsWith("ValueError: Template 'broken.html'").contains("line 3");

        String outer = functions.deploy("def main():\n    return render.render_template('outer.html')\n");
        assertThat(functions.get(outer, "").expect(500).json().get("error").asString())
                .startsWith("ValueError: Template 'outer.html'").contains("broken.html");
    }

    @Test
    void endlessAndDoublingTemplatesEndWithinTheirBudgetAndTheServerKeepsServing() {
        store("endless.html", "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
                + "{{ a }}{% endfor %}{% endfor %}{% endfor %}");
        store("doubling.html", "{% set s = 'ab' %}{% for i in range(1000) %}{% set s = s ~ s %}{% endfor %}"
                + "{{ s | length }}");
        String endless = functions.deploy("def main():\n    return render.render_template('endless.html')\n");
        String doubling = functions.deploy("def main():\n    return render.render_template('doubling.html')\n");

        long start = System.nanoTime();
        String error = functions.get(endless, "").expect(500).json().get("error").asString();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        assertThat(error).startsWith("ValueError: Template 'endless.html'").contains("endless");

        start = System.nanoTime();
        assertThat(functions.get(doubling, "").expect(500).json().get("error").asString())
                .startsWith("ValueError: Template 'doubling.html'");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));

        assertThat(functions.runMain("return render.render_html('{{ 6 * 7 }}').body").asString()).isEqualTo("42");
    }

    @Test
    void aChangedTemplateRendersItsNewVersionAndADeletedOneIsGone() {
        store("page.html", "v1 {{ x }}");
        String id = functions.deploy("def main():\n    return render.render_template('page.html', {'x': 1})\n");
        assertThat(functions.get(id, "").expect(200).body()).isEqualTo("v1 1");

        functions.owner().put(templates + "/page.html", Map.of("content", "v2 {{ x }}")).expect(200);
        assertThat(functions.get(id, "").expect(200).body()).isEqualTo("v2 1");

        functions.owner().delete(templates + "/page.html").expect(204);
        assertThat(functions.get(id, "").expect(500).json().get("error").asString()).startsWith("TemplateNotFound");

        store("page.html", "v3 {{ x }}");
        assertThat(functions.get(id, "").expect(200).body()).isEqualTo("v3 1");
    }

    /** Proof that an unchanged template is not read again: a change behind the admin API's back goes unseen. */
    @Test
    void renderingAnUnchangedTemplateDoesNotReadTheDatabase() {
        store("cached.html", "from memory");
        String id = functions.deploy("def main():\n    return render.render_template('cached.html')\n");
        assertThat(functions.get(id, "").expect(200).body()).isEqualTo("from memory");

        db.update("UPDATE templates SET content = 'from the database' WHERE project_id = ?::uuid AND name = ?",
                functions.projectId(), "cached.html");
        assertThat(functions.get(id, "").expect(200).body()).isEqualTo("from memory");

        functions.owner().put(templates + "/cached.html", Map.of("content", "new version")).expect(200);
        assertThat(functions.get(id, "").expect(200).body()).isEqualTo("new version");
    }

    @Test
    void anotherProjectsTemplatesAreOutOfReach() {
        Functions other = Functions.inNewProject(port);
        String otherTemplates = AdminApi.API + "/projects/" + other.projectId() + "/templates";
        other.owner().post(otherTemplates, Map.of("name", "secret.html", "content", "B's secret")).expect(201);
        other.owner().post(otherTemplates, Map.of("name", "same.html", "content", "B's page")).expect(201);
        store("same.html", "A's page");
        store("includes.html", "[{% include 'secret.html' %}]");
        store("extends.html", "{% extends 'secret.html' %}");

        String direct = functions.deploy("def main():\n    return render.render_template('secret.html')\n");
        assertThat(functions.get(direct, "").expect(500).json().get("error").asString())
                .startsWith("TemplateNotFound").doesNotContain("B's secret");
        String includes = functions.deploy("def main():\n    return render.render_template('includes.html')\n");
        assertThat(functions.get(includes, "").expect(500).json().get("error").asString())
                .contains("secret.html").doesNotContain("B's secret");
        String extendsOther = functions.deploy("def main():\n    return render.render_template('extends.html')\n");
        assertThat(functions.get(extendsOther, "").expect(500).json().get("error").asString())
                .contains("secret.html").doesNotContain("B's secret");
        String inline = functions.deploy("def main():\n    return render.render_html(\"{% include 'secret.html' %}\")\n");
        assertThat(functions.get(inline, "").expect(500).json().get("error").asString())
                .doesNotContain("B's secret");

        String same = "def main():\n    return render.render_template('same.html')\n";
        assertThat(functions.get(functions.deploy(same), "").expect(200).body()).isEqualTo("A's page");
        assertThat(other.get(other.deploy(same), "").expect(200).body()).isEqualTo("B's page");
    }
}
