package io.cococloud.project;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.origin.TenantOrigins;

@RestController
@RequestMapping("/admin/api/v1/projects")
class ProjectController {

    private final ProjectService projects;
    private final TenantOrigins origins;

    ProjectController(ProjectService projects, TenantOrigins origins) {
        this.projects = projects;
        this.origins = origins;
    }

    record CreateProjectRequest(@NotNull @Size(max = 100) String name, @Size(max = 40) String slug) {}

    record UpdateProjectRequest(@Size(max = 100) String name, @Size(max = 40) String slug) {}

    /** @param origin the project's own origin where its functions, site and files are served; null without one */
    record ProjectView(UUID id, String slug, String name, Role role, Instant createdAt, Instant updatedAt,
            String origin) {}

    private ProjectView view(Project p, Role role) {
        return new ProjectView(p.id(), p.slug(), p.name(), role, p.createdAt(), p.updatedAt(),
                origins.originOfSlug(p.slug()));
    }

    @GetMapping
    List<ProjectView> list(@AuthenticationPrincipal AdminPrincipal me) {
        return projects.listFor(me).stream().map(p -> view(p.project(), p.role())).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ProjectView create(@AuthenticationPrincipal AdminPrincipal me, @Valid @RequestBody CreateProjectRequest body) {
        return view(projects.create(me, body.name(), body.slug()), Role.OWNER);
    }

    @GetMapping("/{projectId}")
    ProjectView get(@ProjectRole(Role.VIEWER) Membership membership) {
        return view(membership.project(), membership.role());
    }

    @PatchMapping("/{projectId}")
    ProjectView update(@ProjectRole(Role.ADMIN) Membership membership,
            @Valid @RequestBody UpdateProjectRequest body) {
        return view(projects.update(membership, body.name(), body.slug()), membership.role());
    }

    @DeleteMapping("/{projectId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.OWNER) Membership membership) {
        projects.delete(membership);
    }
}
