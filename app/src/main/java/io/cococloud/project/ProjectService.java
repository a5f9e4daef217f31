package io.cococloud.project;

import java.util.List;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.error.ConflictException;
import io.cococloud.error.DomainException;
import io.cococloud.error.InvalidInputException;

/** Creating, listing, renaming and deleting projects. */
@Service
class ProjectService {

    static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9-]{2,39}");

    private final ProjectRepository projects;
    private final ProjectMemberRepository members;
    private final ProjectDirectory directory;
    private final ApplicationEventPublisher events;

    ProjectService(ProjectRepository projects, ProjectMemberRepository members, ProjectDirectory directory,
            ApplicationEventPublisher events) {
        this.projects = projects;
        this.members = members;
        this.directory = directory;
        this.events = events;
    }

    List<ProjectRepository.ProjectWithRole> listFor(AdminPrincipal caller) {
        return projects.findByMember(caller.accountId());
    }

    /** The caller becomes the owner. Without a slug, one is derived from the name. */
    @Transactional
    Project create(AdminPrincipal caller, String name, String slug) {
        String cleanName = requireName(name);
        String cleanSlug;
        if (slug == null) {
            cleanSlug = uniqueSlugFrom(cleanName);
        } else {
            cleanSlug = requireSlug(slug);
            if (projects.existsBySlug(cleanSlug)) {
                throw slugTaken(cleanSlug);
            }
        }
        Project project = projects.insert(new Project(cleanSlug, cleanName));
        members.insert(new ProjectMember(project.id(), caller.accountId(), Role.OWNER));
        return project;
    }

    @Transactional
    Project update(Membership membership, String name, String slug) {
        Project project = projects.findById(membership.projectId()).orElseThrow();
        if (name != null) {
            project.rename(requireName(name));
        }
        if (slug != null && !slug.equals(project.slug())) {
            String cleanSlug = requireSlug(slug);
            if (projects.existsBySlug(cleanSlug)) {
                throw slugTaken(cleanSlug);
            }
            project.changeSlug(cleanSlug);
            directory.forget(project.id());
        }
        projects.update(project);
        return project;
    }

    /** Every row of the project goes with it (ON DELETE CASCADE on every tenant table). */
    @Transactional
    void delete(Membership membership) {
        projects.delete(membership.projectId());
        directory.forget(membership.projectId());
        events.publishEvent(new ProjectDeleted(membership.projectId()));
    }

    private static String requireName(String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty()) {
            throw InvalidInputException.atField("name", "name must not be blank");
        }
        if (clean.length() > 100) {
            throw InvalidInputException.atField("name", "name must be at most 100 characters");
        }
        return clean;
    }

    private static String requireSlug(String slug) {
        if (!SLUG.matcher(slug).matches()) {
            throw InvalidInputException.atField("slug", "slug '" + slug + "' must be 3 to 40 characters of a-z, 0-9"
                    + " and '-', starting with a letter");
        }
        return slug;
    }

    private static DomainException slugTaken(String slug) {
        return new ConflictException("The slug '" + slug + "' is taken").with("field", "slug");
    }

    private String uniqueSlugFrom(String name) {
        String base = name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
            base = "p-" + base;
        }
        base = (base + "---").substring(0, Math.max(3, Math.min(base.length(), 34))).replaceAll("-+$", "");
        if (base.length() < 3) {
            base = base + "-project";
        }
        String candidate = base;
        for (int n = 2; projects.existsBySlug(candidate); n++) {
            candidate = base + "-" + n;
        }
        return candidate;
    }
}
