package io.cococloud.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A framework app's first call may be told "503, still loading" with Retry-After (a new context imports the
 * framework), as any client may be: this one comes back, within minutes, and answers the first other answer.
 */
public final class OnceLoaded {

    private OnceLoaded() {}

    public static AdminApi.Response answer(Supplier<AdminApi.Response> call) {
        AtomicReference<AdminApi.Response> last = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> { last.set(call.get()); return last.get().status() != 503; });
        return last.get();
    }
}
