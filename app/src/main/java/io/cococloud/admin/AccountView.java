package io.cococloud.admin;

import java.time.Instant;
import java.util.UUID;

/** A console account as the API shows it: never its password hash. */
record AccountView(UUID id, String email, String name, boolean instanceAdmin, Instant createdAt, Instant lastLoginAt) {

    static AccountView of(AdminAccount a) {
        return new AccountView(a.id(), a.email(), a.name(), a.instanceAdmin(), a.createdAt(), a.lastLoginAt());
    }
}
