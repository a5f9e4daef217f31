package io.cococloud.admin;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import io.cococloud.error.ConflictException;
import io.cococloud.error.ForbiddenException;
import io.cococloud.token.OpaqueTokens;

/**
 * The first console account. With COCO_ADMIN_EMAIL and COCO_ADMIN_PASSWORD set, it is created at
 * startup; otherwise a one-time setup link is logged, valid while this process runs and no
 * account exists. That account is an instance administrator (may create more accounts).
 */
@Component
class FirstAccountSetup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAccountSetup.class);

    private final AdminAccountService accounts;
    private final String email;
    private final String password;
    private final String baseUrl;
    private String setupToken;

    FirstAccountSetup(AdminAccountService accounts, @Value("${coco.admin.email:}") String email,
            @Value("${coco.admin.password:}") String password, @Value("${coco.base-url}") String baseUrl) {
        this.accounts = accounts;
        this.email = email;
        this.password = password;
        this.baseUrl = baseUrl;
    }

    @Override
    public synchronized void run(ApplicationArguments args) {
        if (accounts.anyExist()) {
            return;
        }
        if (!email.isBlank() && !password.isBlank()) {
            accounts.create(email, password, null, true);
            log.info("Created the first console account {} from COCO_ADMIN_EMAIL", email);
            return;
        }
        setupToken = OpaqueTokens.generate("");
        log.warn("No console account exists yet. Create the first one at {}/console/setup.html?token={}"
                + " (or set COCO_ADMIN_EMAIL and COCO_ADMIN_PASSWORD and restart).", baseUrl, setupToken);
    }

    synchronized AdminAccount complete(String token, String email, String password, String name) {
        if (accounts.anyExist()) {
            throw new ConflictException("Setup is already done: sign in, or ask an instance admin for an account");
        }
        if (setupToken == null || token == null || !MessageDigest.isEqual(
                setupToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenException("The setup token is wrong; use the link from the server log");
        }
        AdminAccount account = accounts.create(email, password, name, true);
        setupToken = null;
        return account;
    }
}
