package io.cococloud.appuser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.cococloud.ratelimit.LoginAttempts;
import io.cococloud.ratelimit.LoginFailures;
import io.cococloud.support.IntegrationTest;

/** Failed logins are limited per (project, email) and per (project, address). */
@IntegrationTest
class AppUserLoginThrottleTest {

    private static final UUID PROJECT = UUID.randomUUID();
    private final MutableClock clock = new MutableClock();
    @Autowired
    private LoginFailures failures;
    private AppUserLoginThrottle throttle;

    /** A scope of its own per test, so that the tests' keys never meet in the shared table. */
    @BeforeEach
    void newThrottle() {
        throttle = new AppUserLoginThrottle("test-" + UUID.randomUUID(), 3, 5, Duration.ofMinutes(15), clock, failures);
    }

    @Test
    void refusesAnAccountAfterItsLimitOfFailures() {
        fail("a@x.test", "10.0.0.1", 3);
        assertThatThrownBy(() -> throttle.begin(PROJECT, "A@x.test", "10.0.0.9")).isInstanceOf(LoginAttempts.TooMany.class);
    }

    @Test
    void refusesAnAddressThatTriesManyAccounts() {
        for (int i = 0; i < 5; i++) {
            fail("user" + i + "@x.test", "10.0.0.2", 1);
        }
        assertThatThrownBy(() -> throttle.begin(PROJECT, "fresh@x.test", "10.0.0.2")).isInstanceOf(LoginAttempts.TooMany.class);
        assertThatCode(() -> throttle.begin(PROJECT, "fresh@x.test", "10.0.0.3").succeeded()).doesNotThrowAnyException();
    }

    @Test
    void countsEachProjectApart() {
        fail("a@x.test", "10.0.0.1", 3);
        assertThatCode(() -> throttle.begin(UUID.randomUUID(), "a@x.test", "10.0.0.1").succeeded()).doesNotThrowAnyException();
    }

    @Test
    void forgetsFailuresAfterTheWindow() {
        fail("a@x.test", "10.0.0.1", 3);
        clock.advance(Duration.ofMinutes(15));
        assertThatCode(() -> throttle.begin(PROJECT, "a@x.test", "10.0.0.1").succeeded()).doesNotThrowAnyException();
    }

    @Test
    void aSuccessClearsTheAccountCount() {
        fail("a@x.test", "10.0.0.1", 2);
        throttle.begin(PROJECT, "a@x.test", "10.0.0.1").succeeded();
        fail("a@x.test", "10.0.0.1", 2);
        assertThatCode(() -> throttle.begin(PROJECT, "a@x.test", "10.0.0.1").succeeded()).doesNotThrowAnyException();
    }

    @Test
    void attemptsInProgressCountAgainstTheLimit() {
        // Three parallel guesses still checking their passwords: a fourth may not start before they fail.
        for (int i = 0; i < 3; i++) {
            throttle.begin(PROJECT, "a@x.test", "10.0.0.%d".formatted(i));
        }
        assertThatThrownBy(() -> throttle.begin(PROJECT, "a@x.test", "10.0.0.9")).isInstanceOf(LoginAttempts.TooMany.class);
    }

    private void fail(String email, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.begin(PROJECT, email, address).close();
        }
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
