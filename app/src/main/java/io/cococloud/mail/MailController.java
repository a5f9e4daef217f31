package io.cococloud.mail;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.error.InvalidInputException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/**
 * A project's mail in the admin API: its SMTP settings and the outbox as a delivery log.
 * Any member reads; the settings are changed by admins (they decide where the project's mail goes).
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/mail")
class MailController {

    static final int MAX_LIMIT = 500;

    private final MailSettingsStore settings;
    private final MailOutbox outbox;

    MailController(MailSettingsStore settings, MailOutbox outbox) {
        this.settings = settings;
        this.outbox = outbox;
    }

    record SettingsRequest(@NotNull String host, @NotNull Integer port, @NotNull String security, String username,
            String passwordSecret, @NotNull String fromAddress) {}

    record SettingsView(String host, int port, String security, String username, String passwordSecret,
            String fromAddress, Instant updatedAt) {
        static SettingsView of(MailSettingsStore.Settings s) {
            return new SettingsView(s.host(), s.port(), s.security(), s.username(), s.passwordSecret(),
                    s.fromAddress(), s.updatedAt());
        }
    }

    /** settings is null while the project uses the server's default SMTP server. */
    record MailView(SettingsView settings, boolean usesServerDefault, List<MailOutbox.Entry> outbox) {}

    @GetMapping
    MailView get(@ProjectRole(Role.VIEWER) Membership project, @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "50") int limit) {
        if (status != null && !MailOutbox.STATUSES.contains(status)) {
            throw InvalidInputException.atField("status",
                    "status must be one of " + String.join(", ", MailOutbox.STATUSES));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw InvalidInputException.atField("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        SettingsView own = settings.find(project.projectId()).map(SettingsView::of).orElse(null);
        return new MailView(own, own == null, outbox.recent(project.projectId(), status, limit));
    }

    @PutMapping("/settings")
    SettingsView put(@ProjectRole(Role.ADMIN) Membership project, @Valid @RequestBody SettingsRequest body) {
        return SettingsView.of(settings.save(project.projectId(), new MailSettingsStore.Settings(body.host(), body.port(),
                body.security(), body.username(), body.passwordSecret(), body.fromAddress(), null)));
    }

    @DeleteMapping("/settings")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.ADMIN) Membership project) {
        settings.delete(project.projectId()); // idempotent: afterwards the project uses the default either way
    }
}
