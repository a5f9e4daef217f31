package io.cococloud.admin;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface AdminAccountRepository extends JpaRepository<AdminAccount, UUID> {

    /** Matches the unique index on lower(email). */
    @Query("select a from AdminAccount a where lower(a.email) = lower(:email)")
    Optional<AdminAccount> findByEmail(String email);
}
