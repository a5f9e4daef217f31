package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

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
    void laterIdsSortAfterEarlierOnes() throws InterruptedException {
        UUID first = FunctionExecutor.timeOrderedId();
        Thread.sleep(2);
        UUID second = FunctionExecutor.timeOrderedId();
        assertThat(second.toString()).isGreaterThan(first.toString());
    }
}
