package io.cococloud.admin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface AdminTokenRepository extends JpaRepository<AdminToken, UUID> {

    Optional<AdminToken> findByTokenHash(byte[] tokenHash);

    List<AdminToken> findByAccountIdOrderByCreatedAt(UUID accountId);

    @Transactional
    long deleteByIdAndAccountId(UUID id, UUID accountId);

    /** Written at most once a minute per token, so that using a token is not a write per request. */
    @Transactional
    @Modifying
    @Query("update AdminToken t set t.lastUsedAt = :now where t.id = :id and (t.lastUsedAt is null or t.lastUsedAt < :staleBefore)")
    int touch(UUID id, Instant now, Instant staleBefore);
}
