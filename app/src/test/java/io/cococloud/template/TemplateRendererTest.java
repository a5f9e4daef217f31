package io.cococloud.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The renderer against Jinja2 3.1.6: every filter and construct the reference documents show, each case's
 * expected output produced by Jinja2 itself ({@code Environment(autoescape=True)}, the same context), plus the
 * safety rules of docs/architecture.md#templates. No Spring and no database: a renderer without stored templates.
 */
class TemplateRendererTest {

    private static final UUID PROJECT = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final TemplateRenderer RENDERER = new TemplateRenderer("http://localhost:8080/");
    private static final String CONTEXT = """
            {"text": "hello wORLD-wide (web) <b>",
             "long": "The quick brown fox jumps over the lazy dog and keeps running far away",
             "n": 3.14159, "half": 2.5, "i": 42, "f": 3.7,
             "items": [{"name": "a"}, {"name": "b"}, {"name": "c"}], "nobody": [], "names": ["a", "b"],
             "user": {"name": "Ada"},
             "nothing": null, "posts": [1, 2], "d": {"x": 1, "y": 2}, "html": "<i>hi</i>", "date": "2024-01-01"}""";

    static Stream<Arguments> jinja2Cases() {
        return Stream.of(
                Arguments.of("{{ text | upper }}",
                        "HELLO WORLD-WIDE (WEB) &lt;B&gt;"),
                Arguments.of("{{ text | lower }}",
                        "hello world-wide (web) &lt;b&gt;"),
                Arguments.of("{{ text | title }}",
                        "Hello World-Wide (Web) &lt;B&gt;"),
                Arguments.of("{{ 'hello-world foo_bar o\\'neil' | title }}",
                        "Hello-World Foo_bar O&#39;neil"),
                Arguments.of("{{ long | truncate(50) }}",
                        "The quick brown fox jumps over the lazy dog..."),
                Arguments.of("{{ long | truncate(20) }}",
                        "The quick brown..."),
                Arguments.of("{{ long | truncate(20, True) }}",
                        "The quick brown f..."),
                Arguments.of("{{ long | truncate(20, False, '…') }}",
                        "The quick brown…"),
                Arguments.of("{{ long | truncate(66) }}",
                        "The quick brown fox jumps over the lazy dog and keeps running far away"),
                Arguments.of("{{ long | truncate(64) }}",
                        "The quick brown fox jumps over the lazy dog and keeps..."),
                Arguments.of("{{ 'short' | truncate(3) }}",
                        "short"),
                Arguments.of("{{ 'abcdefghijkl' | truncate(6, killwords=True, leeway=0) }}",
                        "abc..."),
                Arguments.of("{{ long | truncate }}",
                        "The quick brown fox jumps over the lazy dog and keeps running far away"),
                Arguments.of("{{ long | truncate(20, end='!') }}",
                        "The quick brown!"),
                Arguments.of("{{ n | round(2) }}",
                        "3.14"),
                Arguments.of("{{ n | round }}",
                        "3.0"),
                Arguments.of("{{ f | round }}",
                        "4.0"),
                Arguments.of("{{ i | round }}",
                        "42"),
                Arguments.of("{{ half | round }}",
                        "2.0"),
                Arguments.of("{{ n | round(1, 'floor') }}",
                        "3.1"),
                Arguments.of("{{ n | round(1, 'ceil') }}",
                        "3.2"),
                Arguments.of("{{ 2.675 | round(2) }}",
                        "2.67"),
                Arguments.of("{{ items | length }}",
                        "3"),
                Arguments.of("{{ text | length }}",
                        "26"),
                Arguments.of("{{ d | length }}",
                        "2"),
                Arguments.of("{{ missing | default('N/A') }}",
                        "N/A"),
                Arguments.of("{{ user.name | default('N/A') }}",
                        "Ada"),
                Arguments.of("{{ missing | default(0) }}",
                        "0"),
                Arguments.of("{{ html }}",
                        "&lt;i&gt;hi&lt;/i&gt;"),
                Arguments.of("{{ html | safe }}",
                        "<i>hi</i>"),
                Arguments.of("{% for item in items %}<li>{{ item.name }}</li>{% endfor %}",
                        "<li>a</li><li>b</li><li>c</li>"),
                Arguments.of("{% for item in items %}{{ item.name }}{% else %}none{% endfor %}",
                        "abc"),
                Arguments.of("{% for item in nobody %}{{ item.name }}{% else %}<p>No users found</p>{% endfor %}",
                        "<p>No users found</p>"),
                Arguments.of("{% for item in items %}{{ loop.index }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %}|{% endfor %}",
                        "1F|2|3L|"),
                Arguments.of("{{ posts }} {{ names }} {{ d }}",
                        "[1, 2] [&#39;a&#39;, &#39;b&#39;] {&#39;x&#39;: 1, &#39;y&#39;: 2}"),
                Arguments.of("{% for k in d %}{{ k }}{% endfor %}",
                        "xy"),
                Arguments.of("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
                        "x=1;y=2;"),
                Arguments.of("{% if user %}Hello, {{ user.name }}!{% else %}Please log in{% endif %}",
                        "Hello, Ada!"),
                Arguments.of("{% if nouser %}Hello{% else %}Please log in{% endif %}",
                        "Please log in"),
                Arguments.of("{% if i > 50 %}big{% elif i > 40 %}mid{% else %}small{% endif %}",
                        "mid"),
                Arguments.of("{% if posts|length > 0 %}<h2>Recent Posts</h2>{% endif %}",
                        "<h2>Recent Posts</h2>"),
                Arguments.of("{% if not nobody %}No posts found.{% endif %}",
                        "No posts found."),
                Arguments.of("a{# a comment #}b",
                        "ab"),
                Arguments.of("<p>\n  {%- if true %} yes {% endif -%}\n</p>",
                        "<p> yes </p>"),
                Arguments.of("{{ i + 1 }} {{ i - 1 }} {{ i * 2 }} {{ i // 5 }} {{ i % 5 }}",
                        "43 41 84 8 2"),
                Arguments.of("{{ 'x' ~ i }}",
                        "x42"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jinja2Cases")
    void rendersAsJinja2Does(String template, String jinja2Output) {
        assertThat(render(template, CONTEXT)).isEqualTo(jinja2Output);
    }

    @Test
    void aDataValueHoldingAScriptIsEscaped() {
        assertThat(render("<p>{{ title }}</p>", "{\"title\": \"<script>alert(1)</script>\"}"))
                .isEqualTo("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    }

    @Test
    void aDataValueHoldingTemplateSyntaxStaysText() {
        assertThat(render("<p>{{ title }}</p>", "{\"title\": \"{{ 7*7 }} {% if true %}x{% endif %}\"}"))
                .isEqualTo("<p>{{ 7*7 }} {% if true %}x{% endif %}</p>");
    }

    @Test
    void staticNamesTheProjectsPublicFile() {
        assertThat(render("{{ static('css/main.css') }}|{{ static('/js/app.js') }}", "{}"))
                .isEqualTo("http://localhost:8080/static/" + PROJECT + "/css/main.css|http://localhost:8080/static/"
                        + PROJECT + "/js/app.js");
    }

    @Test
    void javaMethodsOfJsonValuesCannotBeCalled() {
        assertThatThrownBy(() -> render("{{ d.clear() }}{{ d }}", CONTEXT))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("clear()");
        assertThatThrownBy(() -> render("{{ text.repeat(1000000000) }}", CONTEXT))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("repeat()");
        assertThatThrownBy(() -> render("{{ items.getClass() }}", CONTEXT))
                .isInstanceOf(TemplateRenderer.TemplateException.class);
    }

    @Test
    void pythonMethodsOfDictsListsAndStringsWork() {
        assertThat(render("{{ user.get('name') }} {{ 'a,b'.split(',') | length }} {{ text.upper() }} "
                + "{{ ' x '.strip() }}|{{ 'abc'.startswith('a') }}", CONTEXT))
                .isEqualTo("Ada 2 HELLO WORLD-WIDE (WEB) &lt;B&gt; x|true");
    }

    @Test
    void anEndlessLoopEndsWithinItsBudget() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> render("""
                {% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}
                {{ a }}{% endfor %}{% endfor %}{% endfor %}""", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("endless");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void emptyNestedLoopsEndWithinTheirBudget() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> render("{% for a in range(1000) %}{% for b in range(1000) %}"
                + "{% for c in range(1000) %}{% endfor %}{% endfor %}{% endfor %}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("endless");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aDoublingStringEndsWithAnError() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> render("{% set s = 'xx' %}{% for i in range(100) %}{% set s = s ~ s %}"
                + "{% endfor %}{{ s | length }}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class);
        assertThatThrownBy(() -> render("{% set s = 'xx' %}{% for i in range(100) %}{% set s = s + s %}"
                + "{% endfor %}{{ s | length }}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class);
        assertThatThrownBy(() -> render("{% set s = 'xx' %}{% for i in range(100) %}"
                + "{% set s = s.replace('x', 'xx') %}{% endfor %}{{ s | length }}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class);
        assertThatThrownBy(() -> render("{% set s = 'xx' %}{% for i in range(100) %}"
                + "{% set s = s | replace('x', 'xx') %}{% endfor %}{{ s | length }}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void sizeArgumentsOfFiltersAreCapped() {
        assertThatThrownBy(() -> render("{{ 'x' | center(2000000000) }}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("center");
        assertThatThrownBy(() -> render("{{ 'x' | indent(2000000000, true) }}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("indent");
        assertThatThrownBy(() -> render("{{ '%999999999d' | format(1) }}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("format");
    }

    /**
     * Where Jinjava and Jinja2 still differ (README): booleans print lower case, None prints nothing, large
     * floats print in Java's notation, and {@code empty} is a reserved word of Jinjava's expression language.
     */
    @Test
    void knownDifferencesFromJinja2() {
        assertThat(render("{{ b }}|{{ nothing }}|{{ big }}", "{\"b\": true, \"nothing\": null, \"big\": 1e20}"))
                .isEqualTo("true||1.0E20");
        assertThatThrownBy(() -> render("{% if empty %}x{% endif %}", "{\"empty\": []}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class);
    }

    @Test
    void recursiveMacrosEndWithAnError() {
        assertThatThrownBy(() -> render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class);
    }

    @Test
    void theRenderFilterIsDisabled() {
        assertThatThrownBy(() -> render("{{ title | render }}", "{\"title\": \"{{ 7*7 }}\"}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class);
    }

    @Test
    void includeFindsNothingOutsideStoredTemplates() {
        assertThatThrownBy(() -> render("{% include 'application.yaml' %}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("application.yaml");
    }

    @Test
    void aSyntaxErrorNamesItsLine() {
        assertThatThrownBy(() -> render("line one\n{{ 1 + }}", "{}"))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("line 2");
    }

    @SuppressWarnings("unchecked")
    private static String render(String template, String contextJson) {
        Map<String, Object> context = JsonMapper.builder().build().readValue(contextJson, Map.class);
        return RENDERER.renderString(PROJECT, template, context);
    }
}
