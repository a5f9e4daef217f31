package io.cococloud.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The hash a sign-in checks when there is no account: as costly as a real one, matched by no password. */
class DecoyPasswordHashTest {

    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final DecoyPasswordHash decoy = new DecoyPasswordHash(passwords);

    @Test
    void isOneHashOfTheEncodersCurrentKind() {
        String hash = decoy.get();

        assertThat(decoy.get()).isSameAs(hash);
        assertThat(hash).startsWith("{bcrypt}");
        assertThat(passwords.upgradeEncoding(hash)).as("costs what a real hash costs to check").isFalse();
    }

    @Test
    void noPasswordMatchesIt() {
        assertThat(passwords.matches("", decoy.get())).isFalse();
        assertThat(passwords.matches("not-a-real-password-", decoy.get())).isFalse();
    }
}
