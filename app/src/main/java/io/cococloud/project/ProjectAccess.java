package io.cococloud.project;

import java.util.UUID;

import org.springframework.stereotype.Service;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.error.ForbiddenException;
import io.cococloud.error.NotFoundException;

/**
 * The one gate of every project URL of the admin API (through {@link ProjectRole}): resolves the project by id or
 * slug and checks the caller's role. A non-member gets 404, exactly as for a project that does not
 * exist, so project ids and slugs of others cannot be probed.
 */
@Service
class ProjectAccess {

    private final ProjectRepository projects;
    private final ProjectMemberRepository members;

    ProjectAccess(ProjectRepository projects, ProjectMemberRepository members) {
        this.projects = projects;
        this.members = members;
    }

    /** The project and the caller's role in it, unchecked: a null project when none is so named, a null role for a
     * non-member. */
    Membership membership(String projectRef, AdminPrincipal caller) {
        Project project = find(projectRef);
        Role role = project == null ? null : members.findByProjectIdAndAccountId(project.id(), caller.accountId())
                .map(ProjectMember::role).orElse(null);
        return new Membership(project, role);
    }

    /** The membership when it grants {@code minimum}; else the refusal, the same for a non-member as for no
     * project. */
    Membership check(Membership membership, String projectRef, AdminPrincipal caller, Role minimum,
            boolean orInstanceAdmin) {
        Project project = membership.project();
        Role role = membership.role();
        if (project != null && orInstanceAdmin && caller.instanceAdmin()) {
            return membership;
        }
        if (role == null) {
            throw NotFoundException.of("Project '" + projectRef + "'");
        }
        if (!role.includes(minimum)) {
            throw new ForbiddenException("This needs the " + minimum.json() + " role in project " + project.slug()
                    + "; you are " + role.json());
        }
        return membership;
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
