package io.cococloud.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.error.NotFoundException;
import io.cococloud.token.OpaqueTokens;

/** Tokens that let scripts call the admin API as an account; shown once, stored hashed. */
@Service
class PersonalAccessTokens {

    static final String PREFIX = "coco_pat_";

    private final AdminTokenRepository tokens;
    private final AdminAccountRepository accounts;

    PersonalAccessTokens(AdminTokenRepository tokens, AdminAccountRepository accounts) {
        this.tokens = tokens;
        this.accounts = accounts;
    }

    record Issued(AdminToken token, String secret) {}

    @Transactional
    Issued issue(UUID accountId, String name, Integer expiresInDays) {
        String secret = OpaqueTokens.generate(PREFIX);
        Instant expiresAt = expiresInDays == null ? null : Instant.now().plus(Duration.ofDays(expiresInDays));
        String label = name == null || name.isBlank() ? "token" : name.strip();
        AdminToken token = tokens.insert(new AdminToken(accountId, label, OpaqueTokens.hash(secret),
                OpaqueTokens.displayPrefix(secret, 4), expiresAt));
        return new Issued(token, secret);
    }

    /** The account a token acts for, if the token is known, unexpired, and its account enabled. */
    Optional<AdminPrincipal> authenticate(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return tokens.findByTokenHash(OpaqueTokens.hash(secret))
                .filter(token -> !token.expired(now))
                .flatMap(token -> {
                    tokens.touch(token.id(), now, now.minusSeconds(60));
                    return accounts.findById(token.accountId());
                })
                .filter(account -> !account.disabled())
                .map(AdminAccount::principal);
    }

    List<AdminToken> list(UUID accountId) {
        return tokens.findByAccountIdOrderByCreatedAt(accountId);
    }

    void revoke(UUID accountId, UUID tokenId) {
        if (tokens.deleteByIdAndAccountId(tokenId, accountId) == 0) {
            throw NotFoundException.of("Token " + tokenId);
        }
    }
}
