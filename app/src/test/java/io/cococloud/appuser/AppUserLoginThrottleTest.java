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

import org.junit.jupiter.api.Test;

import io.cococloud.web.ApiProblem;

/** Failed logins are limited per (project, email) and per (project, address). */
class AppUserLoginThrottleTest {

    private static final UUID PROJECT = UUID.randomUUID();
    private final MutableClock clock = new MutableClock();
    private final AppUserLoginThrottle throttle = new AppUserLoginThrottle(3, 5, Duration.ofMinutes(15), clock);

    @Test
    void refusesAnAccountAfterItsLimitOfFailures() {
        fail("a@x.test", "10.0.0.1", 3);
        assertThatThrownBy(() -> throttle.check(PROJECT, "A@x.test", "10.0.0.9")).isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).getStatusCode().value()).isEqualTo(429));
    }

    @Test
    void refusesAnAddressThatTriesManyAccounts() {
        for (int i = 0; i < 5; i++) {
            fail("user" + i + "@x.test", "10.0.0.2", 1);
        }
        assertThatThrownBy(() -> throttle.check(PROJECT, "fresh@x.test", "10.0.0.2")).isInstanceOf(ApiProblem.class);
        assertThatCode(() -> throttle.check(PROJECT, "fresh@x.test", "10.0.0.3")).doesNotThrowAnyException();
    }

    @Test
    void countsEachProjectApart() {
        fail("a@x.test", "10.0.0.1", 5);
        assertThatCode(() -> throttle.check(UUID.randomUUID(), "a@x.test", "10.0.0.1")).doesNotThrowAnyException();
    }

    @Test
    void forgetsFailuresAfterTheWindow() {
        fail("a@x.test", "10.0.0.1", 3);
        clock.advance(Duration.ofMinutes(15));
        assertThatCode(() -> throttle.check(PROJECT, "a@x.test", "10.0.0.1")).doesNotThrowAnyException();
    }

    @Test
    void aSuccessClearsTheAccountCount() {
        fail("a@x.test", "10.0.0.1", 2);
        throttle.recordSuccess(PROJECT, "a@x.test");
        fail("a@x.test", "10.0.0.1", 2);
        assertThatCode(() -> throttle.check(PROJECT, "a@x.test", "10.0.0.1")).doesNotThrowAnyException();
    }

    private void fail(String email, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.recordFailure(PROJECT, email, address);
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
