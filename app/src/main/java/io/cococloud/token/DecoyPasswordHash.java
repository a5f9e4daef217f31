package io.cococloud.token;

import java.util.UUID;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * A password hash no password matches, checked when the account asked for does not exist (or has no password), so
 * that a sign-in takes as long either way and its time does not tell whether the account exists. Made with the
 * encoder of real hashes, so it costs what they cost to check.
 *
 * <p>Made once the server is ready, not while it starts: a BCrypt hash takes ~0.1 s of CPU, which each service
 * making its own in its constructor added to a restart (bench/README.md). A check before then makes it itself.
 */
@Component
public class DecoyPasswordHash {

    private final PasswordEncoder passwords;
    private volatile String hash;

    DecoyPasswordHash(PasswordEncoder passwords) {
        this.passwords = passwords;
    }

    /** The hash; the same one for the life of this server. */
    public String get() {
        String made = hash;
        if (made == null) {
            synchronized (this) {
                made = hash;
                if (made == null) {
                    made = passwords.encode("not-a-real-password-" + UUID.randomUUID());
                    hash = made;
                }
            }
        }
        return made;
    }

    @EventListener(ApplicationReadyEvent.class)
    void makeInTheBackground() {
        Thread.ofVirtual().name("decoy-password-hash").start(this::get);
    }
}
