package io.cococloud.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

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
    void isNotMadeAtTheMomentTheServerIsReadyWhenTheFirstCallsAreServed() {
        AtomicInteger hashed = new AtomicInteger();
        DecoyPasswordHash later = new DecoyPasswordHash(counting(hashed), Duration.ofHours(1));

        later.makeInTheBackground();

        assertThat(hashed).as("made only after the delay").hasValue(0);
        assertThat(later.get()).startsWith("{bcrypt}");
        assertThat(hashed).as("a sign-in before then makes it").hasValue(1);
    }

    @Test
    void isMadeInTheBackgroundOnceTheDelayHasPassed() {
        AtomicInteger hashed = new AtomicInteger();
        DecoyPasswordHash soon = new DecoyPasswordHash(counting(hashed), Duration.ZERO);

        soon.makeInTheBackground();

        await().atMost(Duration.ofSeconds(30)).untilAtomic(hashed, equalTo(1));
        soon.get();
        assertThat(hashed).as("made once").hasValue(1);
    }

    @Test
    void noPasswordMatchesIt() {
        assertThat(passwords.matches("", decoy.get())).isFalse();
        assertThat(passwords.matches("not-a-real-password-", decoy.get())).isFalse();
    }

    private PasswordEncoder counting(AtomicInteger hashed) {
        return new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                hashed.incrementAndGet();
                return passwords.encode(raw);
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                return passwords.matches(raw, encoded);
            }
        };
    }
}
