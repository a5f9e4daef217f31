package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class TimeOrderedIdTest {

    @Test
    void isAVersion7UuidOfTheIetfVariant() {
        UUID id = FunctionExecutor.timeOrderedId();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void laterIdsSortAfterEarlierOnes() {
        UUID first = FunctionExecutor.timeOrderedId();
        long firstMillis = first.getMostSignificantBits() >>> 16; // a version 7 UUID starts with its Unix time in ms
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1))
                .until(() -> System.currentTimeMillis() > firstMillis);
        UUID second = FunctionExecutor.timeOrderedId();
        assertThat(second.toString()).isGreaterThan(first.toString());
    }
}
