package io.cococloud.template;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * POST /projects/{p}/template-preview renders unsaved template source as a function's render_template would
 * render it in that project (the same engine, limits and stored templates), for the console's live preview.
 */
@IntegrationTest
class TemplatePreviewTest {

    private static final String PAGE = """
            {% extends "layout.html" %}
            {% block body %}<h1>{{ title }}</h1>
            {% for item in items %}<li>{{ item.name | upper }}</li>{% else %}<li>none</li>{% endfor %}
            {% include "partials/footer.html" %}{% endblock %}
            """;
    private static final Map<String, Object> CONTEXT = Map.of("title", "Tom & <Jerry>",
            "items", List.of(Map.of("name", "a"), Map.of("name", "<b>")));

    @LocalServerPort
    int port;

    Functions functions;
    AdminApi owner;
    String preview;

    @BeforeEach
    void projectWithStoredTemplates() {
        functions = Functions.inNewProject(port);
        owner = functions.owner();
        String templates = API + "/projects/" + functions.projectId() + "/templates";
        owner.post(templates, Map.of("name", "layout.html", "content",
                "<html><body>{% block body %}{% endblock %}</body></html>")).expect(201);
        owner.post(templates, Map.of("name", "partials/footer.html", "content", "<footer>{{ title }}</footer>"))
                .expect(201);
        preview = API + "/projects/" + functions.projectId() + "/template-preview";
    }

    @Test
    void thePreviewIsWhatRenderTemplateRendersFromTheSameSourceAndContext() {
        owner.post(API + "/projects/" + functions.projectId() + "/templates", Map.of("name", "page.html",
                "content", PAGE)).expect(201);
        String id = functions.deploy("""
                import json
                def main():
                    return render.render_template('page.html', json.loads(request.get('context')))
                """);
        String rendered = functions.post(id, Map.of("context", JsonMapper.builder().build()
                .writeValueAsString(CONTEXT))).expect(200).body();

        String output = owner.post(preview, Map.of("content", PAGE, "context", CONTEXT)).expect(200).json()
                .get("output").asString();

        assertThat(output).isEqualTo(rendered).contains("<h1>Tom &amp; &lt;Jerry&gt;</h1>")
                .contains("<li>&lt;B&gt;</li>").contains("<footer>Tom &amp; &lt;Jerry&gt;</footer>");
    }

    @Test
    void withoutAContextTheTemplateRendersWithNone() {
        assertThat(owner.post(preview, Map.of("content", "Hi {{ name | default('there') }}")).expect(200).json()
                .get("output").asString()).isEqualTo("Hi there");
    }

    @Test
    void aTemplateErrorIs400WithTheLineItIsOn() {
        JsonNode problem = owner.post(preview, Map.of("content", "<p>fine</p>\n<p>fine</p>\n{% if %}\n"))
                .expect(400).json();

        assertThat(problem.get("detail").asString()).startsWith("Template error: ").contains("line 3");
        assertThat(problem.get("line").asInt()).isEqualTo(3);
    }

    @Test
    void anIncludeOfATemplateThatDoesNotExistIsAnError() {
        JsonNode problem = owner.post(preview, Map.of("content", "one\n{% include 'nowhere.html' %}")).expect(400)
                .json();

        assertThat(problem.get("detail").asString()).contains("nowhere.html");
        assertThat(problem.get("line").asInt()).isEqualTo(2);
    }

    @Test
    void contentOverTheTemplateSizeLimitIs400NamingContent() {
        JsonNode problem = owner.post(preview, Map.of("content", "x".repeat(512 * 1024 + 1))).expect(400).json();

        assertThat(problem.get("field").asString()).isEqualTo("content");
        assertThat(problem.get("detail").asString()).isEqualTo("content is 524289 bytes (UTF-8); a template holds"
                + " at most 524288");
    }

    @Test
    void aContextThatIsNotAnObjectOrIsOver64KbIs400NamingContext() {
        JsonNode notObject = owner.post(preview, Map.of("content", "x", "context", List.of(1, 2))).expect(400)
                .json();
        assertThat(notObject.get("field").asString()).isEqualTo("context");
        assertThat(notObject.get("detail").asString()).isEqualTo("context must be a JSON object (the names the"
                + " template uses)");

        JsonNode tooBig = owner.post(preview, Map.of("content", "x", "context", Map.of("big", "y".repeat(70_000))))
                .expect(400).json();
        assertThat(tooBig.get("field").asString()).isEqualTo("context");
        assertThat(tooBig.get("detail").asString()).isEqualTo("context is 70010 bytes as JSON; the limit is 65536");
    }

    @Test
    void missingContentIs400NamingContent() {
        assertThat(owner.post(preview, Map.of()).expect(400).json().get("field").asString()).isEqualTo("content");
    }

    @Test
    void viewersMayNotPreviewAndOutsidersDoNotSeeTheProject() {
        AdminApi viewer = AdminApi.newAccount(port);
        owner.addMember(functions.projectId(), viewer, "viewer");

        viewer.post(preview, Map.of("content", "x")).expect(403);
        AdminApi.newAccount(port).post(preview, Map.of("content", "x")).expect(404);
    }
}
