package io.cococloud.mail;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.project.ProjectAccess;
import io.cococloud.project.Role;
import io.cococloud.template.TemplatePreview;
import io.cococloud.web.ApiProblem;

/**
 * What the console's email template editor needs besides storing: the mail a template makes with a sample
 * context, and a real test mail through the project's outbox (its SMTP settings, or the server's default).
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}")
class EmailPreviewController {

    private final EmailTemplates templates;
    private final MailOutbox outbox;
    private final ProjectAccess access;
    private final JsonMapper json;

    EmailPreviewController(EmailTemplates templates, MailOutbox outbox, ProjectAccess access, JsonMapper json) {
        this.templates = templates;
        this.outbox = outbox;
        this.access = access;
        this.json = json;
    }

    record PreviewRequest(String subject, String html, String text, JsonNode context) {}

    /** @param text null when the template has no text part (mail readers then show the HTML only) */
    record PreviewView(String subject, String html, String text) {}

    /** A stored template ({@code templateId}) or the given subject, html and text, rendered with the context. */
    record TestMailRequest(String to, String templateId, String subject, String html, String text,
            JsonNode context) {}

    @PostMapping("/email-template-preview")
    PreviewView preview(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @RequestBody PreviewRequest body) {
        UUID project = access.require(projectId, me, Role.DEVELOPER).projectId();
        EmailTemplates.Rendered rendered = templates.preview(project, body.subject(), body.html(), body.text(),
                TemplatePreview.context(json, body.context()));
        return new PreviewView(rendered.subject(), rendered.html(), rendered.text());
    }

    @PostMapping("/mail/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    MailOutbox.Entry testMail(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @RequestBody TestMailRequest body) {
        UUID project = access.require(projectId, me, Role.DEVELOPER).projectId();
        String to;
        try {
            to = MailAddresses.parse("to", body.to() == null ? "" : body.to());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage()).with("field", "to");
        }
        Map<String, Object> context = TemplatePreview.context(json, body.context());
        EmailTemplates.Rendered mail;
        if (body.templateId() != null) {
            if (body.subject() != null || body.html() != null || body.text() != null) {
                throw ApiProblem.badRequest("Give template_id (a stored template) or subject and html, not both")
                        .with("field", "template_id");
            }
            EmailTemplates.EmailTemplate template = templates.find(project, body.templateId())
                    .orElseThrow(() -> ApiProblem.badRequest("template_id '" + body.templateId() + "' names no email"
                            + " template of this project").with("field", "template_id"));
            mail = templates.preview(project, template.subject(), template.html(), template.text(), context);
        } else {
            mail = templates.preview(project, body.subject(), body.html(), body.text(), context);
        }
        OutgoingMail outgoing;
        try {
            outgoing = new OutgoingMail(List.of(to), null, null, null, mail.subject(), mail.html(), mail.text(),
                    body.templateId());
        } catch (IllegalArgumentException e) {
            // what rendered is too long or empty: the template's (or the context's) doing, so the sender's 400
            throw ApiProblem.badRequest("The rendered mail cannot be sent: " + e.getMessage())
                    .with("field", e.getMessage().startsWith("subject") ? "subject" : "html");
        }
        return outbox.queue(project, outgoing);
    }
}
