package io.cococloud.project;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface ProjectMemberRepository extends JpaRepository<ProjectMember, ProjectScopedId> {

    Optional<ProjectMember> findByProjectIdAndAccountId(UUID projectId, UUID accountId);

    List<ProjectMember> findByProjectIdOrderByCreatedAt(UUID projectId);

    long countByProjectIdAndRole(UUID projectId, Role role);
}
