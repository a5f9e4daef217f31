package io.cococloud.project;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ProjectRepository extends JpaRepository<Project, UUID> {

    Optional<Project> findBySlug(String slug);

    boolean existsBySlug(String slug);

    /** The projects an account is a member of, with its role in each. */
    @Query("""
            select p as project, m.role as role from Project p, ProjectMember m
            where m.projectId = p.id and m.accountId = :accountId order by p.createdAt""")
    List<ProjectWithRole> findByMember(UUID accountId);

    interface ProjectWithRole {
        Project getProject();

        Role getRole();
    }
}
