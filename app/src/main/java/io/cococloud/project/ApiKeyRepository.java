package io.cococloud.project;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface ApiKeyRepository extends JpaRepository<ApiKey, ProjectScopedId> {

    List<ApiKey> findByProjectIdOrderByCreatedAt(UUID projectId);

    Optional<ApiKey> findByProjectIdAndKeyHash(UUID projectId, byte[] keyHash);
}
