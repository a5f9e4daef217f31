package io.cococloud.project;

import java.util.UUID;

import org.springframework.stereotype.Service;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.web.ApiProblem;

/**
 * The one gate of every project URL of the admin API: resolves the project by id or slug and
 * checks the caller's role. A non-member gets 404, exactly as for a project that does not
 * exist, so project ids and slugs of others cannot be probed.
 */
@Service
public class ProjectAccess {

    private final ProjectRepository projects;
    private final ProjectMemberRepository members;

    ProjectAccess(ProjectRepository projects, ProjectMemberRepository members) {
        this.projects = projects;
        this.members = members;
    }

    /** The caller's project and role, when the caller has at least {@code minimum} in it. */
    public record Membership(Project project, Role role) {
        public UUID projectId() {
            return project.id();
        }
    }

    public Membership require(String projectRef, AdminPrincipal caller, Role minimum) {
        Project project = find(projectRef);
        Role role = project == null ? null : members.findByProjectIdAndAccountId(project.id(), caller.accountId())
                .map(ProjectMember::role).orElse(null);
        if (role == null) {
            throw ApiProblem.notFound("Project '" + projectRef + "'");
        }
        if (!role.includes(minimum)) {
            throw ApiProblem.forbidden("This needs the " + minimum.json() + " role in project " + project.slug()
                    + "; you are " + role.json());
        }
        return new Membership(project, role);
    }

    /**
     * The project for a caller who is a member with at least {@code minimum}, or an instance administrator
     * (who runs the server and so may see every project's operational settings).
     */
    public Project requireMemberOrInstanceAdmin(String projectRef, AdminPrincipal caller, Role minimum) {
        if (caller.instanceAdmin()) {
            Project project = find(projectRef);
            if (project == null) {
                throw ApiProblem.notFound("Project '" + projectRef + "'");
            }
            return project;
        }
        return require(projectRef, caller, minimum).project();
    }

    private Project find(String projectRef) {
        UUID id = parseUuid(projectRef);
        return (id != null ? projects.findById(id) : projects.findBySlug(projectRef)).orElse(null);
    }

    static UUID parseUuid(String value) {
        if (value == null || value.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
