package io.cococloud.template;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.el.JinjavaProcessors;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.errorcategory.BasicTemplateErrorCategory;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.Node;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import io.cococloud.origin.TenantOrigins;

/**
 * The one Jinja renderer (Jinjava), configured as docs/architecture.md#templates says it must be: autoescape on, nested
 * interpretation off (a data value "{{ 7*7 }}" stays text), capped output and string sizes, map iteration over
 * keys as in Jinja2, a budget per render ({@link RenderScope}), method calls limited to JSON values
 * ({@link JsonOnlyResolver}), Jinja2's {@code for ... else}, {@code truncate}, {@code title} and {@code round},
 * and {@code include} / {@code extends} against the project's stored templates only. Contexts are plain JSON
 * values (maps, lists, strings, numbers), never live Java objects.
 *
 * <p>Each thread renders under a root context of its own: Jinjava records what a render resolved in every
 * parent context up to the root, in plain hash sets, so one shared root would be written by many threads.
 */
@Service
public class TemplateRenderer {

    static final long MAX_OUTPUT_CHARS = 10L * 1024 * 1024;
    static final long RENDER_BUDGET_MILLIS = 2_000;
    static final long MAX_RENDERED_NODES = 1_000_000;
    /** Not Jinja2, and each renders or parses text it is given: another door for template injection. */
    private static final Set<String> DISABLED_FILTERS = Set.of("render", "fromyaml");

    private final Jinjava jinjava;
    private final JinjavaConfig config;
    private final String baseUrl;
    private final TenantOrigins origins;
    private final TemplateCache stored;
    private final ThreadLocal<Context> roots = ThreadLocal.withInitial(this::newRoot);

    /** A renderer without stored templates: {@code include}, {@code extends} and named renders find nothing. */
    public TemplateRenderer(String baseUrl) {
        this(baseUrl, null, null);
    }

    @Autowired
    TemplateRenderer(@Value("${coco.base-url}") String baseUrl, TenantOrigins origins, TemplateCache stored) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.origins = origins;
        this.stored = stored;
        config = JinjavaConfig.newBuilder()
                .withNestedInterpretationEnabled(false)
                .withMaxOutputSize(MAX_OUTPUT_CHARS)
                .withMaxStringLength(MAX_OUTPUT_CHARS)
                .withMaxListSize(100_000)
                .withMaxMapSize(100_000)
                .withMaxRenderDepth(10)
                .withFailOnUnknownTokens(false)
                // Jinja2's ways: {% for k in dict %} gives keys; lists and dicts print as Python would.
                .withLegacyOverrides(LegacyOverrides.newBuilder().withIterateOverMapKeys(true)
                        .withUsePyishObjectMapper(true).build())
                .withElResolver(new JsonOnlyResolver(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY,
                        MAX_OUTPUT_CHARS))
                .withProcessors(JinjavaProcessors.newBuilder().withNodePreProcessor(RenderScope::beforeNode).build())
                .withDisabled(Map.of(Context.Library.FILTER, DISABLED_FILTERS))
                .build();
        jinjava = new Jinjava(config);
        jinjava.setResourceLocator(new StoredTemplateLocator(stored));
        // Expressions find functions in the Jinjava instance's global context only; it is never written again.
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "static", TemplateRenderer.class,
                "staticUrl", String.class));
    }

    private Context newRoot() {
        Context root = new Context(null, null, config.getDisabled());
        root.setAutoEscape(true);
        root.registerTag(new ForElseTag());
        Jinja2Filters.all().forEach(root::registerFilter);
        return root;
    }

    /**
     * Where links to the project's own pages start ({@code env.base_url}): its origin when projects have their
     * own ({@code coco.public-domain}), else {@code coco.base-url}.
     */
    public String baseUrl(UUID projectId) {
        return origins == null ? baseUrl : origins.baseUrlOf(projectId);
    }

    /** The public URL of a project's static files; {@code static('css/main.css')} in templates. */
    public String staticBaseUrl(UUID projectId) {
        return baseUrl(projectId) + "/static/" + projectId + "/";
    }

    /**
     * Renders a template string.
     *
     * @throws TemplateException naming the line of the first fatal error
     */
    public String renderString(UUID projectId, String template, Map<String, Object> context) {
        return render(projectId, null, null, template, context);
    }

    /**
     * Renders the project's stored template {@code name}; unchanged templates come parsed from memory.
     *
     * @throws TemplateNotFoundException when the project has no template of that name
     * @throws TemplateException naming the template and line of the first fatal error
     */
    public String renderStored(UUID projectId, String name, Map<String, Object> context) {
        CachedTemplate template = (stored == null || !TemplateName.isValid(name) ? null
                : stored.find(projectId, name).orElse(null));
        if (template == null) {
            throw new TemplateNotFoundException("Template '" + name + "' does not exist in this project");
        }
        CachedTemplate.Parsed parsed = parsed(template);
        if (parsed.error() != null) {
            throw new TemplateException(prefix(name) + parsed.error(), parsed.errorLine());
        }
        return render(projectId, name, parsed.root(), null, context);
    }

    private CachedTemplate.Parsed parsed(CachedTemplate template) {
        CachedTemplate.Parsed parsed = template.parsed();
        if (parsed == null) {
            Context root = roots.get();
            JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava,
                    new Context(root, null, config.getDisabled()), config);
            JinjavaInterpreter.pushCurrent(interpreter);
            try {
                Node tree = interpreter.parse(template.content());
                List<TemplateError> errors = interpreter.getErrorsCopy();
                String fatal = fatalErrors(errors);
                parsed = new CachedTemplate.Parsed(tree, fatal.isEmpty() ? null : fatal, firstFatalLine(errors));
            } finally {
                JinjavaInterpreter.popCurrent();
                root.reset();
            }
            template.parsed(parsed);
        }
        return parsed;
    }

    private String render(UUID projectId, String name, Node tree, String source, Map<String, Object> data) {
        Context root = roots.get();
        RenderScope scope = new RenderScope(projectId, staticBaseUrl(projectId), RENDER_BUDGET_MILLIS,
                MAX_RENDERED_NODES);
        Map<String, Object> bindings = new HashMap<>(data);
        bindings.put(RenderScope.KEY, scope);
        JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava,
                new Context(root, bindings, config.getDisabled()), config);
        String output = null;
        RuntimeException failure = null;
        try {
            output = tree != null ? interpreter.render(tree) : interpreter.render(source);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            root.reset();
        }
        if (scope.exhausted() != null && !scope.exhausted().isEmpty()) {
            throw new TemplateException(prefix(name) + scope.exhausted(), 0);
        }
        List<TemplateError> errors = interpreter.getErrorsCopy();
        String fatal = fatalErrors(errors);
        if (!fatal.isEmpty()) {
            throw new TemplateException(prefix(name) + fatal, firstFatalLine(errors));
        }
        if (failure != null) {
            throw new TemplateException(prefix(name) + describe(failure), lineOf(failure));
        }
        // As Jinja2 (keep_trailing_newline=False) and Jinjava's own render: one final newline is dropped.
        return output.endsWith("\n") ? output.substring(0, output.length() - 1) : output;
    }

    private static String prefix(String name) {
        return name == null ? "Template error: " : "Template '" + name + "': ";
    }

    private static String fatalErrors(List<TemplateError> errors) {
        Set<String> messages = new LinkedHashSet<>();
        for (TemplateError error : errors) {
            if (isFatal(error) && !isStop(error.getException())) {
                messages.add(error.getMessage() + (error.getLineno() > 0 ? " (line " + error.getLineno() + ")" : ""));
            }
        }
        return String.join("; ", messages);
    }

    /** The line of the first error {@link #fatalErrors} reports, or 0 when it has none. */
    private static int firstFatalLine(List<TemplateError> errors) {
        for (TemplateError error : errors) {
            if (isFatal(error) && !isStop(error.getException())) {
                return Math.max(0, error.getLineno());
            }
        }
        return 0;
    }

    /**
     * Jinjava's fatal errors, and the cycles it only warns about (a macro calling itself, a template including
     * itself), where Jinja2 fails: rendering nothing in silence would hide the mistake.
     */
    static boolean isFatal(TemplateError error) {
        return error.getSeverity() == TemplateError.ErrorType.FATAL
                || error.getCategory() instanceof BasicTemplateErrorCategory category && category.name()
                        .endsWith("CYCLE_DETECTED");
    }

    private static boolean isStop(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RenderScope.Stop) {
                return true;
            }
        }
        return false;
    }

    /** A failure Jinjava threw instead of recording: its own message and line, never a stack trace. */
    private static String describe(RuntimeException failure) {
        Throwable deepest = failure;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = deepest.getMessage() != null ? deepest.getMessage() : deepest.getClass().getSimpleName();
        int line = lineOf(failure);
        return message + (line > 0 ? " (line " + line + ")" : "");
    }

    /** The line Jinjava gave a failure it threw (the outermost that has one), or 0. */
    private static int lineOf(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InterpretException e && e.getLineNumber() > 0) {
                return e.getLineNumber();
            }
        }
        return 0;
    }

    /** Called by Jinjava for {@code static(path)}; the project comes from the render in progress. */
    public static String staticUrl(String path) {
        RenderScope scope = RenderScope.of(JinjavaInterpreter.getCurrent());
        String base = scope == null ? "" : scope.staticBase();
        return base + (path == null ? "" : path.replaceFirst("^/+", ""));
    }

    /**
     * A template that cannot be rendered; the message is meant for the template's author, and names the line
     * that {@link #line()} gives when it is known.
     */
    public static class TemplateException extends RuntimeException {
        private final int line;

        public TemplateException(String message) {
            this(message, 0);
        }

        public TemplateException(String message, int line) {
            super(message);
            this.line = line;
        }

        /** The line of the first error (1-based), or 0 when it is not known. */
        public int line() {
            return line;
        }
    }

    /** A named template the project does not have. */
    public static class TemplateNotFoundException extends TemplateException {
        public TemplateNotFoundException(String message) {
            super(message);
        }
    }
}
