package io.cococloud.runtime;

import java.util.Map;
import java.util.UUID;

import org.graalvm.polyglot.HostAccess;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.data.DatabaseCalls;
import io.cococloud.error.DomainException;
import io.cococloud.json.UnstorableValueException;
import io.cococloud.mail.FunctionMail;
import io.cococloud.secret.SecretCalls;
import io.cococloud.template.TemplateRenderer;

/**
 * The only host object Python code can reach: the services of one project, bound to it when
 * the project's contexts are made, so a function can never name another project. Only the
 * methods marked {@link HostAccess.Export} are callable from Python; each answers JSON text,
 * {@code {"result": ...}} or {@code {"error": message, "type": exception}} (cococloud/host.py).
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

    /** secrets.get: the value, null when the project has no such secret; a RuntimeError when unreadable. */
    @HostAccess.Export
    public String secret(String name) {
        try {
            return result(secrets.secret(projectId, name));
        } catch (SecretCalls.Failure e) {
            return error(e.getMessage(), "RuntimeError");
        }
    }

    /** secrets.exists. */
    @HostAccess.Export
    public String secretExists(String name) {
        try {
            return result(secrets.exists(projectId, name));
        } catch (SecretCalls.Failure e) {
            return error(e.getMessage(), "RuntimeError");
        }
    }

    /** Changes whenever the project's variables do: Python re-reads them only then. -1: unreadable. */
    @HostAccess.Export
    public String variablesVersion() {
        if (secrets == null) { // a runtime made by hand, in tests: a project without variables
            return result(0);
        }
        try {
            return result(secrets.variablesVersion(projectId));
        } catch (SecretCalls.Failure e) {
            return result(-1);
        }
    }

    /** {@code {"version": n, "values": {...}}}. */
    @HostAccess.Export
    public String variables() {
        if (secrets == null) {
            return "{\"result\":{\"version\":0,\"values\":{}}}";
        }
        try {
            return "{\"result\":" + secrets.variablesJson(projectId) + "}";
        } catch (SecretCalls.Failure e) {
            return error(e.getMessage(), "RuntimeError");
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
            return error(e.describe(), "ValueError");
        }
        return json.writeValueAsString(database.call(projectId, PythonRuntime.CALLING_FUNCTION.get(), operation,
                args));
    }

    /**
     * render.render_html: a Jinja template string with a JSON context. A template error comes back as an
     * error answer, raised in Python as a ValueError: an exception thrown here would reach Python as a host
     * error it cannot catch cleanly.
     */
    @HostAccess.Export
    @SuppressWarnings("unchecked")
    public String renderHtml(String template, String contextJson) {
        try {
            Map<String, Object> context = json.readValue(contextJson, Map.class);
            return result(templates.renderString(projectId, template, context));
        } catch (TemplateRenderer.TemplateException e) {
            return error(e.getMessage(), "ValueError");
        } catch (UnstorableValueException e) {
            return error("the context's " + e.describe(), "ValueError");
        }
    }

    /** render.render_template: the project's stored template {@code name}; a missing one is TemplateNotFound. */
    @HostAccess.Export
    @SuppressWarnings("unchecked")
    public String renderTemplate(String name, String contextJson) {
        try {
            Map<String, Object> context = json.readValue(contextJson, Map.class);
            return result(templates.renderStored(projectId, name, context));
        } catch (TemplateRenderer.TemplateNotFoundException e) {
            return error(e.getMessage(), "TemplateNotFound");
        } catch (TemplateRenderer.TemplateException e) {
            return error(e.getMessage(), "ValueError");
        } catch (UnstorableValueException e) {
            return error("the context's " + e.describe(), "ValueError");
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
            return error("the mail is larger than 2 MB", "ValueError");
        }
        if (mail == null) {
            return error("mail is not available on this server", "ValueError");
        }
        try {
            return result(mail.send(projectId, json.readValue(argsJson, Map.class)));
        } catch (IllegalArgumentException | DomainException e) {
            return error(e.getMessage(), "ValueError");
        } catch (UnstorableValueException e) {
            return error(e.describe(), "ValueError");
        } catch (org.springframework.dao.DataAccessException e) {
            return error("the mail could not be stored: the database did not answer", "RuntimeError");
        }
    }

    /** The one encoding of every answer to Python: {@code {"result": value}}. */
    private String result(Object value) {
        java.util.Map<String, Object> answer = new java.util.HashMap<>();
        answer.put("result", value);
        return json.writeValueAsString(answer);
    }

    /** {@code {"error": message, "type": the Python exception to raise}}; cococloud/host.py raises it. */
    private String error(String message, String type) {
        return json.writeValueAsString(Map.of("error", String.valueOf(message), "type", type));
    }
}
