package io.cococloud.mail;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.error.NotFoundException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/** A project's email templates in the admin API: viewers read, developers write. */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/email-templates")
class EmailTemplateController {

    private final EmailTemplates templates;

    EmailTemplateController(EmailTemplates templates) {
        this.templates = templates;
    }

    record CreateRequest(@NotNull String id, @NotNull String subject, @NotNull String html, String text) {}

    record ReplaceRequest(@NotNull String subject, @NotNull String html, String text) {}

    /** A list entry: the bodies only come with GET /{id}. */
    record Summary(String id, String subject, Instant createdAt, Instant updatedAt) {}

    record View(String id, String subject, String html, String text, Instant createdAt, Instant updatedAt) {
        static View of(EmailTemplates.EmailTemplate t) {
            return new View(t.id(), t.subject(), t.html(), t.text(), t.createdAt(), t.updatedAt());
        }
    }

    @GetMapping
    List<Summary> list(@ProjectRole(Role.VIEWER) Membership project) {
        return templates.list(project.projectId()).stream()
                .map(t -> new Summary(t.id(), t.subject(), t.createdAt(), t.updatedAt())).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    View create(@ProjectRole(Role.DEVELOPER) Membership project, @Valid @RequestBody CreateRequest body) {
        return View.of(templates.create(project.projectId(), body.id(), body.subject(), body.html(), body.text()));
    }

    @GetMapping("/{templateId}")
    View get(@ProjectRole(Role.VIEWER) Membership project, @PathVariable String templateId) {
        return templates.find(project.projectId(), templateId).map(View::of).orElseThrow(() -> missing(templateId));
    }

    @PutMapping("/{templateId}")
    View replace(@ProjectRole(Role.DEVELOPER) Membership project, @PathVariable String templateId,
            @Valid @RequestBody ReplaceRequest body) {
        return templates.replace(project.projectId(), templateId, body.subject(), body.html(), body.text()).map(View::of)
                .orElseThrow(() -> missing(templateId));
    }

    @DeleteMapping("/{templateId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.DEVELOPER) Membership project, @PathVariable String templateId) {
        if (!templates.delete(project.projectId(), templateId)) {
            throw missing(templateId);
        }
    }

    private static NotFoundException missing(String templateId) {
        return NotFoundException.of("Email template '" + templateId + "'");
    }
}
