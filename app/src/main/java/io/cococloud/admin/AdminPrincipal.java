package io.cococloud.admin;

import java.io.Serializable;
import java.util.UUID;

import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * Who is calling the admin API: kept in the session, or built from a personal access token.
 * Its name is the account id, which is what the session store indexes.
 */
public record AdminPrincipal(UUID accountId, String email, boolean instanceAdmin)
        implements AuthenticatedPrincipal, Serializable {

    @Override
    public String getName() {
        return accountId.toString();
    }
}
