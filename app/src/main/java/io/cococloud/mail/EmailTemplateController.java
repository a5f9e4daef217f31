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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.project.ProjectAccess;
import io.cococloud.project.Role;
import io.cococloud.web.ApiProblem;

/** A project's email templates in the admin API: viewers read, developers write. */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/email-templates")
class EmailTemplateController {

    private final EmailTemplates templates;
    private final ProjectAccess access;

    EmailTemplateController(EmailTemplates templates, ProjectAccess access) {
        this.templates = templates;
        this.access = access;
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
    List<Summary> list(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId) {
        UUID project = access.require(projectId, me, Role.VIEWER).projectId();
        return templates.list(project).stream()
                .map(t -> new Summary(t.id(), t.subject(), t.createdAt(), t.updatedAt())).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    View create(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @Valid @RequestBody CreateRequest body) {
        UUID project = access.require(projectId, me, Role.DEVELOPER).projectId();
        return View.of(templates.create(project, body.id(), body.subject(), body.html(), body.text()));
    }

    @GetMapping("/{templateId}")
    View get(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String templateId) {
        UUID project = access.require(projectId, me, Role.VIEWER).projectId();
        return templates.find(project, templateId).map(View::of).orElseThrow(() -> missing(templateId));
    }

    @PutMapping("/{templateId}")
    View replace(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String templateId, @Valid @RequestBody ReplaceRequest body) {
        UUID project = access.require(projectId, me, Role.DEVELOPER).projectId();
        return templates.replace(project, templateId, body.subject(), body.html(), body.text()).map(View::of)
                .orElseThrow(() -> missing(templateId));
    }

    @DeleteMapping("/{templateId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable String templateId) {
        UUID project = access.require(projectId, me, Role.DEVELOPER).projectId();
        if (!templates.delete(project, templateId)) {
            throw missing(templateId);
        }
    }

    private static ApiProblem missing(String templateId) {
        return ApiProblem.notFound("Email template '" + templateId + "'");
    }
}
