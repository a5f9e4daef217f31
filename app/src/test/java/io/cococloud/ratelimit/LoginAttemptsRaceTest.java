package io.cococloud.ratelimit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import io.cococloud.support.IntegrationTest;

/**
 * The one interleaving parallel guesses hit: another attempt ends (its failure recorded, then no longer in progress)
 * while a new attempt is reading the failures. Replayed deterministically: the read returns what it saw before that
 * attempt ended.
 */
@IntegrationTest
class LoginAttemptsRaceTest {

    private static final int LIMIT = 3;

    @Autowired
    JdbcClient db;
    @Autowired
    PlatformTransactionManager transactions;

    /** Failures whose next read lets {@code meanwhile} run after the rows were read and before they are answered. */
    private final class InterleavedFailures extends LoginFailures {
        Runnable meanwhile;

        InterleavedFailures() {
            super(db, transactions);
        }

        @Override
        Optional<Window> window(String scope, String key, Duration window, Instant now) {
            Optional<Window> read = super.window(scope, key, window, now);
            Runnable running = meanwhile;
            meanwhile = null;
            if (running != null) {
                running.run();
            }
            return read;
        }
    }

    @Test
    void anAttemptEndingWhileAnotherReadsTheFailuresIsCountedOnce() {
        InterleavedFailures failures = new InterleavedFailures();
        LoginAttempts attempts = new LoginAttempts("race-" + UUID.randomUUID(), LIMIT, 100, Duration.ofMinutes(15),
                Clock.systemUTC(), failures);
        for (int i = 0; i < LIMIT - 1; i++) {
            attempts.begin("account", "address-" + i).close(); // wrong passwords
        }
        LoginAttempts.Attempt last = attempts.begin("account", "address-last");

        failures.meanwhile = last::close; // the limit's last wrong password ends during the next attempt's read

        assertThatThrownBy(() -> attempts.begin("account", "address-next")).isInstanceOf(LoginAttempts.TooMany.class);
    }
}
