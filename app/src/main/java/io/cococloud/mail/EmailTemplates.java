package io.cococloud.mail;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.template.TemplateRenderer;
import io.cococloud.web.ApiProblem;

/**
 * A project's email templates: a Jinja subject, HTML body and optional plain-text body, stored
 * by id. The HTML is rendered with autoescape on, as every template of CocoCloud; subject and
 * text are not HTML, so they are rendered with it off (a "&" in a name stays "&").
 */
@Service
class EmailTemplates {

    static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,99}";
    static final int MAX_SUBJECT_CHARS = 998;
    static final int MAX_BODY_BYTES = 512 * 1024;
    static final int MAX_PER_PROJECT = 500;

    private final JdbcTemplate jdbc;
    private final TemplateRenderer renderer;

    EmailTemplates(JdbcTemplate jdbc, TemplateRenderer renderer) {
        this.jdbc = jdbc;
        this.renderer = renderer;
    }

    record EmailTemplate(String id, String subject, String html, String text, Instant createdAt,
            Instant updatedAt) {}

    /** A template rendered for one mail. */
    record Rendered(String subject, String html, String text) {}

    List<EmailTemplate> list(UUID projectId) {
        return jdbc.query("SELECT * FROM email_templates WHERE project_id = ? ORDER BY id", EmailTemplates::template,
                projectId);
    }

    Optional<EmailTemplate> find(UUID projectId, String id) {
        if (id == null || !id.matches(ID_PATTERN)) {
            return Optional.empty();
        }
        return jdbc.query("SELECT * FROM email_templates WHERE project_id = ? AND id = ?", EmailTemplates::template,
                projectId, id).stream().findFirst();
    }

    /** 400 for a bad id, size or Jinja syntax; 409 when the id is taken. */
    @Transactional
    EmailTemplate create(UUID projectId, String id, String subject, String html, String text) {
        if (id == null || !id.matches(ID_PATTERN)) {
            throw ApiProblem.badRequest("id must be 1 to 100 letters, digits, '_', '.' or '-', starting with a"
                    + " letter or digit").with("field", "id");
        }
        check(projectId, subject, html, text);
        Long count = jdbc.queryForObject("SELECT count(*) FROM email_templates WHERE project_id = ?", Long.class,
                projectId);
        if (count != null && count >= MAX_PER_PROJECT) {
            throw ApiProblem.badRequest("A project has at most " + MAX_PER_PROJECT + " email templates");
        }
        try {
            return jdbc.query("""
                    INSERT INTO email_templates (project_id, id, subject, html, text) VALUES (?, ?, ?, ?, ?)
                    RETURNING *""", EmailTemplates::template, projectId, id, subject, html, text).getFirst();
        } catch (DuplicateKeyException e) {
            throw ApiProblem.conflict("The email template '" + id + "' exists already; PUT replaces it")
                    .with("field", "id");
        }
    }

    /** Replaces subject, html and text; empty when there is no such template. */
    Optional<EmailTemplate> replace(UUID projectId, String id, String subject, String html, String text) {
        if (id == null || !id.matches(ID_PATTERN)) {
            return Optional.empty();
        }
        check(projectId, subject, html, text);
        return jdbc.query("""
                UPDATE email_templates SET subject = ?, html = ?, text = ?, updated_at = now()
                WHERE project_id = ? AND id = ? RETURNING *""", EmailTemplates::template, subject, html, text,
                projectId, id).stream().findFirst();
    }

    boolean delete(UUID projectId, String id) {
        return id != null && id.matches(ID_PATTERN)
                && jdbc.update("DELETE FROM email_templates WHERE project_id = ? AND id = ?", projectId, id) > 0;
    }

    /**
     * Renders a stored template or a built-in one with a context.
     *
     * @throws TemplateRenderer.TemplateException when the template fails at render time
     */
    Rendered render(UUID projectId, EmailTemplate template, Map<String, Object> context) {
        try {
            return renderChecked(projectId, template, context);
        } catch (TemplateRenderer.TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            // Jinjava throws some limits (output size, recursion) instead of reporting them
            throw new TemplateRenderer.TemplateException("Template error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private Rendered renderChecked(UUID projectId, EmailTemplate template, Map<String, Object> context) {
        String subject = plain(projectId, template.subject(), context).replaceAll("[\\r\\n]+", " ").strip();
        String html = renderer.renderString(projectId, template.html(), context);
        String text = template.text() == null || template.text().isEmpty() ? null
                : plain(projectId, template.text(), context);
        return new Rendered(subject, html, text);
    }

    private String plain(UUID projectId, String template, Map<String, Object> context) {
        // on the same line as the template's first one, so error line numbers stay the author's
        return renderer.renderString(projectId, "{% autoescape false %}" + template + "{% endautoescape %}",
                context);
    }

    /**
     * Subject, HTML and text rendered with a context as a mail of a stored template would be, without storing
     * anything: the console's preview and test mail. A part that cannot be rendered is a 400 naming it
     * ({@code field}) and, when known, its {@code line}.
     */
    Rendered preview(UUID projectId, String subject, String html, String text, Map<String, Object> context) {
        checkSizes(subject, html, text);
        String renderedSubject = part("subject", () -> plain(projectId, subject, context))
                .replaceAll("[\\r\\n]+", " ").strip();
        String renderedHtml = part("html", () -> renderer.renderString(projectId, html, context));
        String renderedText = text == null || text.isEmpty() ? null
                : part("text", () -> plain(projectId, text, context));
        return new Rendered(renderedSubject, renderedHtml, renderedText);
    }

    private static String part(String field, java.util.function.Supplier<String> render) {
        try {
            return render.get();
        } catch (TemplateRenderer.TemplateException e) {
            throw ApiProblem.badRequest(field + ": " + e.getMessage()).with("field", field)
                    .with("line", e.line() > 0 ? e.line() : null);
        } catch (RuntimeException e) {
            // Jinjava throws some limits (output size, recursion) instead of reporting them
            throw ApiProblem.badRequest(field + ": the template cannot be rendered (" + e.getClass().getSimpleName()
                    + ")").with("field", field);
        }
    }

    private static void checkSizes(String subject, String html, String text) {
        if (subject == null || subject.isBlank()) {
            throw ApiProblem.badRequest("subject must not be empty").with("field", "subject");
        }
        if (subject.length() > MAX_SUBJECT_CHARS) {
            throw ApiProblem.badRequest("subject is longer than " + MAX_SUBJECT_CHARS + " characters")
                    .with("field", "subject");
        }
        if (html == null || html.isBlank()) {
            throw ApiProblem.badRequest("html must not be empty").with("field", "html");
        }
        if (html.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw ApiProblem.badRequest("html is larger than " + MAX_BODY_BYTES / 1024 + " KB").with("field", "html");
        }
        if (text != null && text.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw ApiProblem.badRequest("text is larger than " + MAX_BODY_BYTES / 1024 + " KB").with("field", "text");
        }
    }

    /** Sizes, then Jinja syntax: each part is rendered once with an empty context. */
    private void check(UUID projectId, String subject, String html, String text) {
        checkSizes(subject, html, text);
        syntax(projectId, "subject", subject, true);
        syntax(projectId, "html", html, false);
        if (text != null) {
            syntax(projectId, "text", text, true);
        }
    }

    private void syntax(UUID projectId, String field, String template, boolean plain) {
        part(field, () -> plain ? plain(projectId, template, Map.of())
                : renderer.renderString(projectId, template, Map.of()));
    }

    private static EmailTemplate template(ResultSet rs, int row) throws SQLException {
        return new EmailTemplate(rs.getString("id"), rs.getString("subject"), rs.getString("html"),
                rs.getString("text"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
