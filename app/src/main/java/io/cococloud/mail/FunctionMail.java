package io.cococloud.mail;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.mail.internet.InternetAddress;
import org.springframework.stereotype.Service;

import io.cococloud.template.TemplateRenderer;

/**
 * {@code request.send_mail} of docs/functions.md#what-every-function-sees: checks the arguments, renders the project's
 * email template when one is named, and queues the mail. Every mistake of the caller is an
 * {@link IllegalArgumentException} whose message the function sees as a ValueError.
 */
@Service
public class FunctionMail {

    /** A body with a tag in it is HTML (the reference's examples send HTML as body); else plain text. */
    private static final Pattern HTML = Pattern.compile("<(?:[a-zA-Z][a-zA-Z0-9-]*|!DOCTYPE|!--)[^>]*>",
            Pattern.CASE_INSENSITIVE);

    private final EmailTemplates templates;
    private final MailOutbox outbox;

    FunctionMail(EmailTemplates templates, MailOutbox outbox) {
        this.templates = templates;
        this.outbox = outbox;
    }

    /**
     * Queues one mail of the project.
     *
     * @param args the keyword arguments of send_mail as JSON values
     * @return {@code {"id": ..., "status": "queued"}}
     * @throws IllegalArgumentException naming the bad argument, the missing template or the bad address
     */
    public Map<String, Object> send(UUID projectId, Map<String, Object> args) {
        List<String> to = MailAddresses.parseAll("to", args.get("to"));
        if (to.isEmpty()) {
            throw new IllegalArgumentException("to is required: an email address or a list of them");
        }
        List<String> cc = MailAddresses.parseAll("cc", args.get("cc"));
        List<String> bcc = MailAddresses.parseAll("bcc", args.get("bcc"));
        List<String> replyTo = MailAddresses.parseAll("reply_to", args.get("reply_to"));
        String subject = optionalString(args, "subject");
        String body = optionalString(args, "body");
        String templateId = optionalString(args, "template_id");
        Object context = args.get("context");
        if (context != null && !(context instanceof Map)) {
            throw new IllegalArgumentException("context must be a dict, not " + MailAddresses.typeName(context));
        }
        String html;
        String text;
        if (templateId != null) {
            if (body != null) {
                throw new IllegalArgumentException("give either body or template_id, not both");
            }
            EmailTemplates.Rendered rendered = render(projectId, templateId, subject, castContext(context));
            subject = rendered.subject().isEmpty() && subject != null ? subject : rendered.subject();
            html = rendered.html();
            text = rendered.text();
        } else {
            if (context != null) {
                throw new IllegalArgumentException("context is only used with template_id");
            }
            if (body == null) {
                throw new IllegalArgumentException("body or template_id is required");
            }
            if (subject == null) {
                throw new IllegalArgumentException("subject is required");
            }
            boolean isHtml = HTML.matcher(body).find();
            html = isHtml ? body : null;
            text = isHtml ? null : body;
        }
        OutgoingMail mail = new OutgoingMail(to, cc, bcc,
                replyTo.isEmpty() ? null : InternetAddress.toUnicodeString(addresses(replyTo)), subject, html, text,
                templateId);
        UUID id = outbox.enqueue(projectId, mail);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id.toString());
        answer.put("status", "queued");
        return answer;
    }

    private EmailTemplates.Rendered render(UUID projectId, String templateId, String subject,
            Map<String, Object> context) {
        EmailTemplates.EmailTemplate template = templates.find(projectId, templateId).orElseThrow(
                () -> new IllegalArgumentException("the email template '" + templateId + "' does not exist in this"
                        + " project; create it under Email templates (POST /email-templates)"));
        Map<String, Object> bindings = new HashMap<>();
        if (subject != null) {
            bindings.put("subject", subject); // so a template's subject may be "{{ subject }}"
        }
        bindings.putAll(context);
        try {
            return templates.render(projectId, template, bindings);
        } catch (TemplateRenderer.TemplateException e) {
            throw new IllegalArgumentException("the email template '" + templateId + "' failed: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castContext(Object context) {
        if (context == null) {
            return Map.of();
        }
        return (Map<String, Object>) context;
    }

    private static String optionalString(Map<String, Object> args, String name) {
        Object value = args.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException(name + " must be a string, not " + MailAddresses.typeName(value));
    }

    private static InternetAddress[] addresses(List<String> parsed) {
        try {
            InternetAddress[] all = new InternetAddress[parsed.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = new InternetAddress(parsed.get(i), true);
            }
            return all;
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException("reply_to is not valid: " + e.getMessage());
        }
    }
}
