package io.cococloud.mail;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.error.InvalidInputException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;
import io.cococloud.template.TemplatePreview;

/**
 * What the console's email template editor needs besides storing: the mail a template makes with a sample
 * context, and a real test mail through the project's outbox (its SMTP settings, or the server's default).
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}")
class EmailPreviewController {

    private final EmailTemplates templates;
    private final MailOutbox outbox;
    private final JsonMapper json;

    EmailPreviewController(EmailTemplates templates, MailOutbox outbox, JsonMapper json) {
        this.templates = templates;
        this.outbox = outbox;
        this.json = json;
    }

    record PreviewRequest(String subject, String html, String text, JsonNode context) {}

    /** @param text null when the template has no text part (mail readers then show the HTML only) */
    record PreviewView(String subject, String html, String text) {}

    /** A stored template ({@code templateId}) or the given subject, html and text, rendered with the context. */
    record TestMailRequest(String to, String templateId, String subject, String html, String text,
            JsonNode context) {}

    @PostMapping("/email-template-preview")
    PreviewView preview(@ProjectRole(Role.DEVELOPER) Membership project, @RequestBody PreviewRequest body) {
        EmailTemplates.Rendered rendered = templates.preview(project.projectId(), body.subject(), body.html(), body.text(),
                TemplatePreview.context(json, body.context()));
        return new PreviewView(rendered.subject(), rendered.html(), rendered.text());
    }

    @PostMapping("/mail/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    MailOutbox.Entry testMail(@ProjectRole(Role.DEVELOPER) Membership project, @RequestBody TestMailRequest body) {
        String to;
        try {
            to = MailAddresses.parse("to", body.to() == null ? "" : body.to());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.atField("to", e.getMessage());
        }
        Map<String, Object> context = TemplatePreview.context(json, body.context());
        EmailTemplates.Rendered mail;
        if (body.templateId() != null) {
            if (body.subject() != null || body.html() != null || body.text() != null) {
                throw InvalidInputException.atField("template_id",
                        "Give template_id (a stored template) or subject and html, not both");
            }
            EmailTemplates.EmailTemplate template = templates.find(project.projectId(), body.templateId())
                    .orElseThrow(() -> InvalidInputException.atField("template_id", "template_id '"
                            + body.templateId() + "' names no email template of this project"));
            mail = templates.preview(project.projectId(), template.subject(), template.html(), template.text(),
                    context);
        } else {
            mail = templates.preview(project.projectId(), body.subject(), body.html(), body.text(), context);
        }
        OutgoingMail outgoing;
        try {
            outgoing = new OutgoingMail(List.of(to), null, null, null, mail.subject(), mail.html(), mail.text(),
                    body.templateId());
        } catch (IllegalArgumentException e) {
            // what rendered is too long or empty: the template's (or the context's) doing, so the sender's 400
            throw InvalidInputException.atField(e.getMessage().startsWith("subject") ? "subject" : "html",
                    "The rendered mail cannot be sent: " + e.getMessage());
        }
        return outbox.queue(project.projectId(), outgoing);
    }
}
