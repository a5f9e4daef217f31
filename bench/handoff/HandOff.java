import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * What a warm call's two thread hand-offs cost on this machine, without the server: a virtual thread (a request's)
 * hands a task to a parked platform thread (a Python worker) and waits for its answer, 20,000 times with a 200 µs
 * gap (a client's round trip), three rounds. With "spin" the waiting thread spins up to 100 µs before it parks.
 *
 *   java bench/handoff/HandOff.java [spin]
 */
public class HandOff {

    public static void main(String[] args) throws Exception {
        boolean spin = args.length > 0 && args[0].equals("spin");
        ExecutorService worker = Executors.newSingleThreadExecutor();
        for (int round = 1; round <= 3; round++) {
            long[] nanos = new long[20_000];
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < nanos.length; i++) {
                    long started = System.nanoTime();
                    CompletableFuture<Integer> answer = new CompletableFuture<>();
                    worker.execute(() -> answer.complete(1));
                    if (spin) {
                        long until = System.nanoTime() + 100_000;
                        while (!answer.isDone() && System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                    }
                    answer.join();
                    nanos[i] = System.nanoTime() - started;
                    LockSupport.parkNanos(200_000);
                }
            }).join();
            Arrays.sort(nanos);
            System.out.printf("round %d%s: p50 %d µs, p90 %d µs, p99 %d µs%n", round, spin ? " (spin)" : "",
                    nanos[nanos.length / 2] / 1000, nanos[nanos.length * 9 / 10] / 1000,
                    nanos[nanos.length * 99 / 100] / 1000);
        }
        worker.shutdown();
    }
}
