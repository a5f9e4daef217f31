import java.util.ArrayList;
import java.util.List;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;

/**
 * What one more GraalPy context costs on a shared engine once it has run {@code args[0]} (Python source): the live
 * heap after full collections, divided by the contexts made, and the time to make and run one. Used by
 * bench/context-memory.sh.
 */
public class ContextMemory {

    public static void main(String[] args) throws Exception {
        String code = args[0];
        int contexts = Integer.parseInt(args.length > 1 ? args[1] : "30");
        Engine engine = Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false").build();
        for (int i = 0; i < 3; i++) { // the engine's shared code and caches, made once
            try (Context warmUp = Context.newBuilder("python").engine(engine).build()) {
                warmUp.eval("python", code);
            }
        }
        long before = liveHeap();
        List<Context> kept = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < contexts; i++) {
            Context context = Context.newBuilder("python").engine(engine).build();
            context.eval("python", code);
            kept.add(context);
        }
        long millis = (System.nanoTime() - started) / 1_000_000 / contexts;
        long after = liveHeap();
        System.out.printf("%.2f MB and %d ms per context: %s%n", (after - before) / 1e6 / contexts, millis, code);
        kept.forEach(Context::close);
        engine.close();
    }

    private static long liveHeap() throws InterruptedException {
        System.gc();
        Thread.sleep(500);
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
