package io.cococloud.token;

import java.time.Duration;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * A password hash no password matches, checked when the account asked for does not exist (or has no password), so
 * that a sign-in takes as long either way and its time does not tell whether the account exists. Made with the
 * encoder of real hashes, so it costs what they cost to check.
 *
 * <p>Made a while after the server is ready, not while it starts: a BCrypt hash takes ~0.1 s of CPU, which each
 * service making its own in its constructor added to a restart (bench/README.md), and which at the moment of
 * ready competes with the first calls a restarted server serves. A check before then makes it itself.
 */
@Component
public class DecoyPasswordHash {

    /** Long enough for the calls waiting on a restart to be served, on the cores the start has just given up. */
    private static final Duration AFTER_READY = Duration.ofSeconds(10);

    private final SingletonSupplier<String> hash;
    private final Duration afterReady;

    @Autowired
    DecoyPasswordHash(PasswordEncoder passwords) {
        this(passwords, AFTER_READY);
    }

    DecoyPasswordHash(PasswordEncoder passwords, Duration afterReady) {
        this.hash = SingletonSupplier.of(() -> passwords.encode("not-a-real-password-" + UUID.randomUUID()));
        this.afterReady = afterReady;
    }

    /** The hash; the same one for the life of this server. */
    public String get() {
        return hash.obtain();
    }

    @EventListener(ApplicationReadyEvent.class)
    void makeInTheBackground() {
        Thread.ofVirtual().name("decoy-password-hash").start(() -> {
            try {
                Thread.sleep(afterReady);
                get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // not made here: the first sign-in that needs it makes it
            }
        });
    }
}
