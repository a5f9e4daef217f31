package io.cococloud.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;
import org.springframework.core.io.ClassPathResource;

/**
 * The one shared GraalPy engine (compiled code is shared by all its contexts) and the sandbox
 * every context is built with. The CONSTRAINED policy checks that nothing below is loosened:
 * no file system, no threads, no processes, no native code, no host classes, no polyglot, no
 * environment variables; Python reaches only methods marked {@code @HostAccess.Export}.
 */
final class PythonEngine implements AutoCloseable {

    private final Engine engine;
    private final Source prelude;
    private final Source check;
    private final long statementLimit;

    PythonEngine(long statementLimit) {
        this.engine = Engine.newBuilder("python")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.prelude = source("runtime/prelude.py");
        this.check = source("runtime/check.py");
        this.statementLimit = statementLimit;
    }

    String implementationName() {
        return engine.getImplementationName();
    }

    /** A sandboxed context with the prelude evaluated and {@code host} given to it. */
    Context newContext(OutputCapture out, OutputCapture err, Object host) {
        Context.Builder builder = Context.newBuilder("python")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(out)
                .err(err)
                .allowIO(IOAccess.NONE)
                .allowHostAccess(HostAccess.CONSTRAINED)
                .allowHostClassLookup(name -> false)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE);
        if (statementLimit > 0) {
            builder.resourceLimits(ResourceLimits.newBuilder().statementLimit(statementLimit, null).build());
        }
        Context context = builder.build();
        try {
            context.eval(prelude);
            context.getBindings("python").getMember("_cococloud_setup").execute(host);
            return context;
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /** A context for deploy-time checks: it compiles and inspects code but never runs it. */
    Context newCheckContext() {
        Context context = newContext(new OutputCapture(4096, false), new OutputCapture(4096, false), null);
        context.eval(check);
        return context;
    }

    @Override
    public void close() {
        engine.close(true);
    }

    private static Source source(String resource) {
        try {
            String text = new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
            // Named so that tracebacks read <cococloud>/prelude.py, and cached by the engine.
            return Source.newBuilder("python", text, "<cococloud>/" + resource.substring(resource.indexOf('/') + 1))
                    .cached(true).build();
        } catch (IOException e) {
            throw new UncheckedIOException("The runtime's Python sources are missing from the build", e);
        }
    }
}
