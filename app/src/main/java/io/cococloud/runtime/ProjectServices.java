package io.cococloud.runtime;

import java.util.Map;
import java.util.UUID;

import org.graalvm.polyglot.HostAccess;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.data.DatabaseCalls;
import io.cococloud.template.TemplateRenderer;

/**
 * The only host object Python code can reach: the services of one project, bound to it when
 * the project's contexts are made, so a function can never name another project. Only the
 * methods marked {@link HostAccess.Export} are callable from Python.
 */
public final class ProjectServices {

    private final UUID projectId;
    private final TemplateRenderer templates;
    private final DatabaseCalls database;
    private final JsonMapper json;

    ProjectServices(UUID projectId, TemplateRenderer templates, DatabaseCalls database, JsonMapper json) {
        this.projectId = projectId;
        this.templates = templates;
        this.database = database;
        this.json = json;
    }

    /**
     * Every method of the Python {@code db} object, scoped to this project. Arguments and answer
     * are JSON text: one conversion at the edge, and Python never holds a live Java object.
     */
    @HostAccess.Export
    @SuppressWarnings("unchecked")
    public String db(String operation, String argsJson) {
        return json.writeValueAsString(database.call(projectId, operation, json.readValue(argsJson, Map.class)));
    }

    /**
     * render.render_html: a Jinja template string with a JSON context. A template error comes
     * back as text after a NUL marker, which the prelude raises as a Python ValueError: an
     * exception thrown here would reach Python as a host error it cannot catch cleanly.
     */
    @HostAccess.Export
    @SuppressWarnings("unchecked")
    public String renderHtml(String template, String contextJson) {
        try {
            Map<String, Object> context = json.readValue(contextJson, Map.class);
            return templates.renderString(projectId, template, context);
        } catch (TemplateRenderer.TemplateException e) {
            return "\0" + e.getMessage();
        }
    }

    /** env.static_base_url and static(): where this project's static files are served. */
    String staticBaseUrl() {
        return templates.staticBaseUrl(projectId);
    }

    UUID projectId() {
        return projectId;
    }
}
