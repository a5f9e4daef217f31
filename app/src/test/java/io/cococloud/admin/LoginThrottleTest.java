package io.cococloud.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.cococloud.ratelimit.LoginAttempts;
import io.cococloud.ratelimit.LoginFailures;
import io.cococloud.support.IntegrationTest;

@IntegrationTest
class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    @Autowired
    private LoginFailures failures;
    private LoginThrottle throttle;

    /** A scope of its own per test, so that the tests' keys never meet in the shared table. */
    @BeforeEach
    void newThrottle() {
        throttle = new LoginThrottle("test-" + UUID.randomUUID(), 3, 5, Duration.ofMinutes(15), clock, failures);
    }

    @Test
    void refusesAnAccountAfterItsLimitOfFailures() {
        fail("a@x.test", "10.0.0.1", 3);
        assertThatThrownBy(() -> throttle.begin("a@x.test", "10.0.0.9")).isInstanceOf(LoginAttempts.TooMany.class);
    }

    @Test
    void countsTheAccountCaseInsensitively() {
        fail("A@X.test", "10.0.0.1", 3);
        assertThatThrownBy(() -> throttle.begin("a@x.test", "10.0.0.1")).isInstanceOf(LoginAttempts.TooMany.class);
    }

    @Test
    void refusesAnAddressThatTriesManyAccounts() {
        for (int i = 0; i < 5; i++) {
            fail("user" + i + "@x.test", "10.0.0.2", 1);
        }
        assertThatThrownBy(() -> throttle.begin("fresh@x.test", "10.0.0.2")).isInstanceOf(LoginAttempts.TooMany.class);
        assertThatCode(() -> throttle.begin("fresh@x.test", "10.0.0.3").succeeded()).doesNotThrowAnyException();
    }

    @Test
    void forgetsFailuresOnceTheWindowHasPassed() {
        fail("a@x.test", "10.0.0.1", 3);
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThatCode(() -> throttle.begin("a@x.test", "10.0.0.1").succeeded()).doesNotThrowAnyException();
    }

    @Test
    void aSuccessfulLoginClearsTheAccountsFailures() {
        fail("a@x.test", "10.0.0.1", 2);
        throttle.begin("a@x.test", "10.0.0.1").succeeded();
        fail("a@x.test", "10.0.0.1", 2);
        assertThatCode(() -> throttle.begin("a@x.test", "10.0.0.1").succeeded()).doesNotThrowAnyException();
    }

    @Test
    void attemptsInProgressCountAgainstTheLimit() {
        // Three parallel guesses still checking their passwords: a fourth may not start before they fail.
        for (int i = 0; i < 3; i++) {
            throttle.begin("a@x.test", "10.0.0.%d".formatted(i));
        }
        assertThatThrownBy(() -> throttle.begin("a@x.test", "10.0.0.9")).isInstanceOf(LoginAttempts.TooMany.class);
    }

    private void fail(String email, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.begin(email, address).close();
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
