package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** A heap guard's stop of a call, with a stand-in context (no Python): it acts only while the call runs. */
class MemoryStopTest {

    private final SandboxedContext context = new SandboxedContext(null, null, null);
    private final PythonRuntime.Call call = new PythonRuntime.Call(context, 0, new AtomicBoolean(), Runnable::run,
            false, Duration.ofMinutes(5));

    @Test
    void aRunningCallIsStoppedAndItsContextGoesWhenItEnds() {
        assertThat(call.stopForMemory()).isTrue();

        assertThat(call.outOfMemory()).isTrue();
        assertThat(context.broken).isTrue();
        assertThat(context.closed()).isTrue();
        assertThat(call.end()).as("ended stopped: the context is not given back for use").isTrue();
    }

    @Test
    void aCallThatHasEndedIsLeftAloneAndItsContextServesTheNextCall() {
        call.end();

        assertThat(call.stopForMemory()).isFalse();
        assertThat(call.outOfMemory()).isFalse();
        assertThat(context.broken).isFalse();
        assertThat(context.closed()).isFalse();
    }

    @Test
    void aCallIsStoppedForMemoryOnce() {
        call.stopForMemory();

        assertThat(call.stopForMemory()).isFalse();
    }

    @Test
    void aCallTheWatchdogStoppedIsNotStoppedAgainForMemory() {
        call.stopIfLate(System.nanoTime() + Duration.ofMinutes(10).toNanos());

        assertThat(call.stopForMemory()).isFalse();
        assertThat(call.outOfMemory()).as("it ends as timed out").isFalse();
    }
}
