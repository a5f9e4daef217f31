package io.cococloud.runtime;

import java.util.Map;
import java.util.UUID;

import org.graalvm.polyglot.HostAccess;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.data.DatabaseCalls;
import io.cococloud.json.UnstorableValueException;
import io.cococloud.mail.FunctionMail;
import io.cococloud.secret.SecretCalls;
import io.cococloud.template.TemplateRenderer;

/**
 * The only host object Python code can reach: the services of one project, bound to it when
 * the project's contexts are made, so a function can never name another project. Only the
 * methods marked {@link HostAccess.Export} are callable from Python.
 */
public final class ProjectServices {

    /** Bodies are capped at 1 MB when queued; this only stops a huge argument before it is parsed. */
    private static final int MAX_MAIL_ARGS_CHARS = 2 * 1024 * 1024;

    private final UUID projectId;
    private final TemplateRenderer templates;
    private final DatabaseCalls database;
    private final JsonMapper json;
    private final SecretCalls secrets;
    private final FunctionMail mail;

    ProjectServices(UUID projectId, TemplateRenderer templates, DatabaseCalls database, JsonMapper json,
            SecretCalls secrets, FunctionMail mail) {
        this.projectId = projectId;
        this.templates = templates;
        this.database = database;
        this.json = json;
        this.secrets = secrets;
        this.mail = mail;
    }

    /**
     * secrets.get: the value, null when the project has no such secret, or a message after a NUL
     * marker (raised as a Python RuntimeError) when it cannot be read. Values hold no NUL.
     */
    @HostAccess.Export
    public String secret(String name) {
        try {
            return secrets.secret(projectId, name);
        } catch (SecretCalls.Failure e) {
            return "\0" + e.getMessage();
        }
    }

    /** secrets.exists; a failure reads as a message after a NUL marker, as in {@link #secret}. */
    @HostAccess.Export
    public String secretExists(String name) {
        try {
            return secrets.exists(projectId, name) ? "1" : "";
        } catch (SecretCalls.Failure e) {
            return "\0" + e.getMessage();
        }
    }

    /** Changes whenever the project's variables do: Python re-reads them only then. -1: unreadable. */
    @HostAccess.Export
    public long variablesVersion() {
        try {
            return secrets.variablesVersion(projectId);
        } catch (SecretCalls.Failure e) {
            return -1;
        }
    }

    /** {@code {"version": n, "values": {...}}}, or a message after a NUL marker. */
    @HostAccess.Export
    public String variables() {
        try {
            return secrets.variablesJson(projectId);
        } catch (SecretCalls.Failure e) {
            return "\0" + e.getMessage();
        }
    }

    /**
     * Every method of the Python {@code db} object, scoped to this project. Arguments and answer
     * are JSON text: one conversion at the edge, and Python never holds a live Java object.
     */
    @HostAccess.Export
    @SuppressWarnings("unchecked")
    public String db(String operation, String argsJson) {
        Map<String, Object> args;
        try {
            args = json.readValue(argsJson, Map.class);
        } catch (UnstorableValueException e) {
            // A NUL, a lone surrogate or a number beyond a double, named: the function's mistake.
            return json.writeValueAsString(Map.of("error", e.describe(), "type", "ValueError"));
        }
        return json.writeValueAsString(database.call(projectId, operation, args));
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
        } catch (UnstorableValueException e) {
            return "\0" + "the context's " + e.describe();
        }
    }

    /**
     * render.render_template: the project's stored template {@code name} with a JSON context. Errors come
     * back as for {@link #renderHtml}, a missing template after a \1 marker instead (TemplateNotFound).
     */
    @HostAccess.Export
    @SuppressWarnings("unchecked")
    public String renderTemplate(String name, String contextJson) {
        try {
            Map<String, Object> context = json.readValue(contextJson, Map.class);
            return templates.renderStored(projectId, name, context);
        } catch (TemplateRenderer.TemplateNotFoundException e) {
            return "\1" + e.getMessage();
        } catch (TemplateRenderer.TemplateException e) {
            return "\0" + e.getMessage();
        } catch (UnstorableValueException e) {
            return "\0" + "the context's " + e.describe();
        }
    }

    /**
     * request.send_mail: the keyword arguments as JSON; answers {@code {"result": {"id", "status"}}},
     * or {@code {"error": message}} for a bad argument, a missing template or an invalid address,
     * which the prelude raises as a ValueError.
     */
    @HostAccess.Export
    @SuppressWarnings("unchecked")
    public String sendMail(String argsJson) {
        if (argsJson.length() > MAX_MAIL_ARGS_CHARS) {
            return json.writeValueAsString(Map.of("error", "the mail is larger than 2 MB"));
        }
        if (mail == null) {
            return json.writeValueAsString(Map.of("error", "mail is not available on this server"));
        }
        try {
            return json.writeValueAsString(Map.of("result", mail.send(projectId, json.readValue(argsJson, Map.class))));
        } catch (IllegalArgumentException e) {
            return json.writeValueAsString(Map.of("error", e.getMessage()));
        } catch (UnstorableValueException e) {
            return json.writeValueAsString(Map.of("error", e.describe()));
        } catch (org.springframework.dao.DataAccessException e) {
            return json.writeValueAsString(Map.of("error", "the mail could not be stored: the database did not"
                    + " answer", "type", "RuntimeError"));
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
