package io.cococloud.mail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.cococloud.appuser.AppUser;
import io.cococloud.appuser.AppUserMail;
import io.cococloud.origin.TenantOrigins;
import io.cococloud.template.TemplateRenderer;

/**
 * The mails of the app-user flows, queued in the outbox like any other: the project's email
 * template {@code reset_password} or {@code verify_email} when it has one, else a built-in one.
 * Templates get {@code token}, {@code link}, {@code email}, {@code user} (id, email, data, roles),
 * {@code expires_in_minutes}, {@code expires_in_hours}, {@code project_id} and {@code base_url}.
 * The default link points at the project's site route ({@code /p/{project}/reset-password}); an
 * app with pages elsewhere overrides the template and builds its own link from {@code token}.
 */
@Component
class OutboxAppUserMail implements AppUserMail {

    static final String RESET_TEMPLATE = "reset_password";
    static final String VERIFY_TEMPLATE = "verify_email";

    private static final Logger log = LoggerFactory.getLogger(OutboxAppUserMail.class);

    static final EmailTemplates.EmailTemplate DEFAULT_RESET = new EmailTemplates.EmailTemplate(RESET_TEMPLATE,
            "Reset your password", """
            <p>Hello,</p>
            <p>Someone asked to reset the password of the account {{ email }}. If it was you, choose a new
            password within {{ expires_in_minutes }} minutes:</p>
            <p><a href="{{ link }}">Reset your password</a></p>
            <p>Or enter this code: <code>{{ token }}</code></p>
            <p>If you did not ask for this, ignore this mail: your password stays as it is.</p>
            """, """
            Hello,

            Someone asked to reset the password of the account {{ email }}. If it was you, choose a new
            password within {{ expires_in_minutes }} minutes:

            {{ link }}

            Or enter this code: {{ token }}

            If you did not ask for this, ignore this mail: your password stays as it is.
            """, null, null);

    static final EmailTemplates.EmailTemplate DEFAULT_VERIFY = new EmailTemplates.EmailTemplate(VERIFY_TEMPLATE,
            "Verify your email address", """
            <p>Hello,</p>
            <p>Please confirm that {{ email }} is your address within {{ expires_in_hours }} hours:</p>
            <p><a href="{{ link }}">Verify your email address</a></p>
            <p>Or enter this code: <code>{{ token }}</code></p>
            """, """
            Hello,

            Please confirm that {{ email }} is your address within {{ expires_in_hours }} hours:

            {{ link }}

            Or enter this code: {{ token }}
            """, null, null);

    private final EmailTemplates templates;
    private final MailOutbox outbox;
    private final TenantOrigins origins;

    OutboxAppUserMail(EmailTemplates templates, MailOutbox outbox, TenantOrigins origins) {
        this.templates = templates;
        this.outbox = outbox;
        this.origins = origins;
    }

    @Override
    public void passwordReset(UUID projectId, AppUser user, String token, Duration validFor) {
        queue(projectId, user, token, validFor, RESET_TEMPLATE, DEFAULT_RESET, "reset-password");
    }

    @Override
    public void emailVerification(UUID projectId, AppUser user, String token, Duration validFor) {
        queue(projectId, user, token, validFor, VERIFY_TEMPLATE, DEFAULT_VERIFY, "verify-email");
    }

    private void queue(UUID projectId, AppUser user, String token, Duration validFor, String templateId,
            EmailTemplates.EmailTemplate fallback, String page) {
        // the link opens a site route of the project: its own origin when it has one, as env.base_url
        String baseUrl = origins.baseUrlOf(projectId);
        Map<String, Object> context = new HashMap<>();
        context.put("token", token);
        context.put("link", baseUrl + "/p/" + projectId + "/" + page + "?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        context.put("email", user.email());
        context.put("user", Map.of("id", user.id(), "email", user.email(), "data", user.data(),
                "roles", user.roles()));
        context.put("expires_in_minutes", validFor.toMinutes());
        context.put("expires_in_hours", validFor.toHours());
        context.put("project_id", projectId.toString());
        context.put("base_url", baseUrl);
        EmailTemplates.EmailTemplate own = templates.find(projectId, templateId).orElse(null);
        EmailTemplates.Rendered rendered = null;
        if (own != null) {
            try {
                rendered = templates.render(projectId, own, context);
            } catch (TemplateRenderer.TemplateException e) {
                // the user still gets a mail that works; the project's template is the one to fix
                log.warn("Project {}: email template '{}' failed ({}); the built-in one is used", projectId,
                        templateId, e.getMessage());
            }
        }
        if (rendered == null) {
            rendered = templates.render(projectId, fallback, context);
        }
        try {
            String to = MailAddresses.parse("to", user.email());
            outbox.enqueue(projectId, new OutgoingMail(List.of(to), null, null, null, rendered.subject(),
                    rendered.html(), rendered.text(), own == null ? null : templateId));
        } catch (IllegalArgumentException e) {
            // never the token; an address the sign-up accepted but SMTP would not is logged, not thrown
            log.warn("Project {}: no {} mail for app user {}: {}", projectId, templateId, user.id(), e.getMessage());
        }
    }
}
