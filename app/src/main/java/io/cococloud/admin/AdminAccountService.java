package io.cococloud.admin;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.error.ConflictException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.UnauthenticatedException;
import io.cococloud.ratelimit.LoginAttempts;
import io.cococloud.token.DecoyPasswordHash;

/** Console accounts: creating them, checking their passwords, finding them for other features. */
@Service
public class AdminAccountService {

    static final int MIN_PASSWORD_LENGTH = 12;
    /** BCrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused. */
    static final int MAX_PASSWORD_BYTES = 72;

    private final AdminAccountRepository accounts;
    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;
    /** Compared against when the email is unknown, so both cases take the same time. */
    private final DecoyPasswordHash decoy;

    AdminAccountService(AdminAccountRepository accounts, PasswordEncoder passwords, LoginThrottle throttle,
            DecoyPasswordHash decoy) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.throttle = throttle;
        this.decoy = decoy;
    }

    @Transactional
    public AdminAccount create(String email, String password, String name, boolean instanceAdmin) {
        String normalizedEmail = email.strip();
        checkPasswordPolicy(password);
        if (accounts.findByEmail(normalizedEmail).isPresent()) {
            throw new ConflictException("An account with email " + normalizedEmail + " already exists");
        }
        return accounts.insert(new AdminAccount(normalizedEmail, passwords.encode(password),
                name == null || name.isBlank() ? null : name.strip(), instanceAdmin));
    }

    /**
     * Checks the password, throttled per account and client address: unauthenticated or too many on failure. Not
     * one transaction: the throttle writes a failure in a transaction of its own, which must not wait for a second
     * connection while this one holds the first (parallel logins would drain the pool).
     */
    public AdminAccount authenticate(String email, String password, String clientAddress) {
        AdminAccount account;
        try (LoginAttempts.Attempt attempt = throttle.begin(email, clientAddress)) {
            Optional<AdminAccount> found = accounts.findByEmail(email.strip());
            boolean matches = passwords.matches(password, found.map(AdminAccount::passwordHash).orElseGet(decoy::get));
            if (found.isEmpty() || !matches || found.get().disabled()) {
                throw new UnauthenticatedException("Wrong email or password"); // the attempt counts as failed
            }
            attempt.succeeded();
            account = found.get();
        }
        account.recordLogin();
        accounts.recordLogin(account);
        return account;
    }

    /** The caller's own account; gone only if deleted after they signed in. */
    public AdminAccount get(UUID id) {
        return accounts.findById(id).orElseThrow(() -> new UnauthenticatedException("Your account no longer exists"));
    }

    public Optional<AdminAccount> findByEmail(String email) {
        return accounts.findByEmail(email.strip());
    }

    public List<AdminAccount> findAll(Collection<UUID> ids) {
        return accounts.findAllById(ids);
    }

    public List<AdminAccount> list() {
        return accounts.findAll();
    }

    public boolean anyExist() {
        return accounts.anyExist();
    }

    static void checkPasswordPolicy(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidInputException("password must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new InvalidInputException("password must be at most " + MAX_PASSWORD_BYTES + " bytes");
        }
    }
}
