package io.cococloud.template;

import java.util.List;
import java.util.UUID;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.tree.Node;

/**
 * What one render knows beyond its data: the project (for {@code static()}, {@code include} and {@code extends})
 * and its budget. Jinjava's loops ignore {@link Thread#interrupt()}, so the budget is enforced from inside: every
 * node Jinjava renders (each loop body, include, macro call) first passes {@link #beforeNode}, which ends the
 * render once it has rendered too many nodes or run past its deadline, and also as soon as a fatal error was
 * recorded (Jinja2 stops at its first error; Jinjava would go on, e.g. rebuilding a too-long string each turn).
 */
final class RenderScope {

    /** Stored in the render's context under a key no template can spell (it is not an identifier). */
    static final String KEY = "cococloud render scope";

    private final UUID projectId;
    private final String staticBase;
    private final long deadlineNanos;
    private final long maxNodes;
    private final long budgetMillis;
    private long nodes;
    private int errorsSeen;
    private String exhausted;

    RenderScope(UUID projectId, String staticBase, long budgetMillis, long maxNodes) {
        this.projectId = projectId;
        this.staticBase = staticBase;
        this.budgetMillis = budgetMillis;
        this.deadlineNanos = System.nanoTime() + budgetMillis * 1_000_000;
        this.maxNodes = maxNodes;
    }

    static RenderScope of(JinjavaInterpreter interpreter) {
        return interpreter == null ? null : (RenderScope) interpreter.getContext().get(KEY);
    }

    UUID projectId() {
        return projectId;
    }

    String staticBase() {
        return staticBase;
    }

    /** Why the render was stopped early, or null. */
    String exhausted() {
        return exhausted;
    }

    /** Jinjava's node pre-processor. */
    static void beforeNode(Node node, JinjavaInterpreter interpreter) {
        RenderScope scope = of(interpreter);
        if (scope != null) {
            scope.check(interpreter);
        }
    }

    private void check(JinjavaInterpreter interpreter) {
        if (exhausted == null) {
            if (++nodes > maxNodes) {
                exhausted = "the template rendered more than " + maxNodes + " nodes (an endless or too large loop?)";
            } else if (System.nanoTime() > deadlineNanos) {
                exhausted = "rendering took longer than " + budgetMillis + " ms (an endless or too large loop?)";
            } else {
                List<TemplateError> errors = interpreter.getErrors();
                for (int i = errorsSeen; i < errors.size(); i++) {
                    if (TemplateRenderer.isFatal(errors.get(i))) {
                        exhausted = "";  // the error itself is the message
                    }
                }
                errorsSeen = errors.size();
            }
        }
        if (exhausted != null) {
            throw new Stop();
        }
    }

    /** Unwinds the render; Jinjava wraps it on the way out, and the renderer reads {@link #exhausted()}. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("render stopped", null, false, false);
        }
    }
}
