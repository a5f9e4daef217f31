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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.error.ConflictException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.template.TemplateRenderer;

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

    private final JdbcClient db;
    private final TemplateRenderer renderer;

    EmailTemplates(JdbcClient db, TemplateRenderer renderer) {
        this.db = db;
        this.renderer = renderer;
    }

    record EmailTemplate(String id, String subject, String html, String text, Instant createdAt,
            Instant updatedAt) {}

    /** A template rendered for one mail. */
    record Rendered(String subject, String html, String text) {}

    List<EmailTemplate> list(UUID projectId) {
        return db.sql("SELECT * FROM email_templates WHERE project_id = ? ORDER BY id").params(projectId)
                .query(EmailTemplates::template).list();
    }

    Optional<EmailTemplate> find(UUID projectId, String id) {
        if (!validId(id)) {
            return Optional.empty();
        }
        return db.sql("SELECT * FROM email_templates WHERE project_id = ? AND id = ?").params(projectId, id)
                .query(EmailTemplates::template).optional();
    }

    /** Refuses a bad id, size or Jinja syntax as invalid, and a taken id as a conflict. */
    @Transactional
    EmailTemplate create(UUID projectId, String id, String subject, String html, String text) {
        if (!validId(id)) {
            throw InvalidInputException.atField("id", "id must be 1 to 100 letters, digits, '_', '.' or '-',"
                    + " starting with a letter or digit");
        }
        check(projectId, subject, html, text);
        long count = db.sql("SELECT count(*) FROM email_templates WHERE project_id = ?").params(projectId)
                .query(Long.class).single();
        if (count >= MAX_PER_PROJECT) {
            throw new InvalidInputException("A project has at most " + MAX_PER_PROJECT + " email templates");
        }
        try {
            return db.sql("""
                    INSERT INTO email_templates (project_id, id, subject, html, text) VALUES (?, ?, ?, ?, ?)
                    RETURNING *""").params(projectId, id, subject, html, text).query(EmailTemplates::template).single();
        } catch (DuplicateKeyException e) {
            throw new ConflictException("The email template '" + id + "' exists already; PUT replaces it")
                    .with("field", "id");
        }
    }

    /** Replaces subject, html and text; empty when there is no such template. */
    Optional<EmailTemplate> replace(UUID projectId, String id, String subject, String html, String text) {
        if (!validId(id)) {
            return Optional.empty();
        }
        check(projectId, subject, html, text);
        return db.sql("""
                UPDATE email_templates SET subject = ?, html = ?, text = ?, updated_at = now()
                WHERE project_id = ? AND id = ? RETURNING *""").params(subject, html, text, projectId, id)
                .query(EmailTemplates::template).optional();
    }

    boolean delete(UUID projectId, String id) {
        return validId(id)
                && db.sql("DELETE FROM email_templates WHERE project_id = ? AND id = ?").params(projectId, id)
                        .update() > 0;
    }

    private static boolean validId(String id) {
        return id != null && id.matches(ID_PATTERN);
    }

    /**
     * Renders a stored template or a built-in one with a context.
     *
     * @throws TemplateRenderer.TemplateException when the template fails at render time
     */
    Rendered render(UUID projectId, EmailTemplate template, Map<String, Object> context) {
        try {
            return new Rendered(subject(projectId, template.subject(), context),
                    html(projectId, template.html(), context), text(projectId, template.text(), context));
        } catch (TemplateRenderer.TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            // Jinjava throws some limits (output size, recursion) instead of reporting them
            throw new TemplateRenderer.TemplateException("Template error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** The subject on one line: a line break in a header would end it. */
    private String subject(UUID projectId, String template, Map<String, Object> context) {
        return plain(projectId, template, context).replaceAll("[\\r\\n]+", " ").strip();
    }

    private String html(UUID projectId, String template, Map<String, Object> context) {
        return renderer.renderString(projectId, template, context);
    }

    /** Null without a text part: mail readers then show the HTML. */
    private String text(UUID projectId, String template, Map<String, Object> context) {
        return template == null || template.isEmpty() ? null : plain(projectId, template, context);
    }

    private String plain(UUID projectId, String template, Map<String, Object> context) {
        // on the same line as the template's first one, so error line numbers stay the author's
        return renderer.renderString(projectId, "{% autoescape false %}" + template + "{% endautoescape %}",
                context);
    }

    /**
     * Subject, HTML and text rendered with a context as a mail of a stored template would be, without storing
     * anything: the console's preview and test mail. A part that cannot be rendered is refused naming it
     * ({@code field}) and, when known, its {@code line}.
     */
    Rendered preview(UUID projectId, String subject, String html, String text, Map<String, Object> context) {
        checkSizes(subject, html, text);
        return new Rendered(part("subject", () -> subject(projectId, subject, context)),
                part("html", () -> html(projectId, html, context)), part("text", () -> text(projectId, text, context)));
    }

    private static String part(String field, java.util.function.Supplier<String> render) {
        try {
            return render.get();
        } catch (TemplateRenderer.TemplateException e) {
            throw InvalidInputException.atField(field, field + ": " + e.getMessage())
                    .with("line", e.line() > 0 ? e.line() : null);
        } catch (RuntimeException e) {
            // Jinjava throws some limits (output size, recursion) instead of reporting them
            throw InvalidInputException.atField(field, field + ": the template cannot be rendered ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static void checkSizes(String subject, String html, String text) {
        if (subject == null || subject.isBlank()) {
            throw InvalidInputException.atField("subject", "subject must not be empty");
        }
        if (subject.length() > MAX_SUBJECT_CHARS) {
            throw InvalidInputException.atField("subject",
                    "subject is longer than " + MAX_SUBJECT_CHARS + " characters");
        }
        if (html == null || html.isBlank()) {
            throw InvalidInputException.atField("html", "html must not be empty");
        }
        if (html.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw InvalidInputException.atField("html", "html is larger than " + MAX_BODY_BYTES / 1024 + " KB");
        }
        if (text != null && text.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw InvalidInputException.atField("text", "text is larger than " + MAX_BODY_BYTES / 1024 + " KB");
        }
    }

    /** Sizes, then Jinja syntax: each part is rendered once with an empty context, as a preview would. */
    private void check(UUID projectId, String subject, String html, String text) {
        preview(projectId, subject, html, text, Map.of());
    }

    private static EmailTemplate template(ResultSet rs, int row) throws SQLException {
        return new EmailTemplate(rs.getString("id"), rs.getString("subject"), rs.getString("html"),
                rs.getString("text"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
