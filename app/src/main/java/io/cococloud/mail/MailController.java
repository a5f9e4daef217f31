package io.cococloud.mail;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.project.ProjectAccess;
import io.cococloud.project.Role;
import io.cococloud.web.ApiProblem;

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
    private final ProjectAccess access;

    MailController(MailSettingsStore settings, MailOutbox outbox, ProjectAccess access) {
        this.settings = settings;
        this.outbox = outbox;
        this.access = access;
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
    MailView get(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @RequestParam(required = false) String status, @RequestParam(defaultValue = "50") int limit) {
        UUID project = access.require(projectId, me, Role.VIEWER).projectId();
        if (status != null && !MailOutbox.STATUSES.contains(status)) {
            throw ApiProblem.badRequest("status must be one of " + String.join(", ", MailOutbox.STATUSES))
                    .with("field", "status");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.badRequest("limit must be between 1 and " + MAX_LIMIT).with("field", "limit");
        }
        SettingsView own = settings.find(project).map(SettingsView::of).orElse(null);
        return new MailView(own, own == null, outbox.recent(project, status, limit));
    }

    @PutMapping("/settings")
    SettingsView put(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @Valid @RequestBody SettingsRequest body) {
        UUID project = access.require(projectId, me, Role.ADMIN).projectId();
        return SettingsView.of(settings.save(project, new MailSettingsStore.Settings(body.host(), body.port(),
                body.security(), body.username(), body.passwordSecret(), body.fromAddress(), null)));
    }

    @DeleteMapping("/settings")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId) {
        UUID project = access.require(projectId, me, Role.ADMIN).projectId();
        settings.delete(project); // idempotent: afterwards the project uses the default either way
    }
}
