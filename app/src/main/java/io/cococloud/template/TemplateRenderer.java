package io.cococloud.template;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The one Jinja renderer (Jinjava), configured as FIELD_NOTES says it must be: autoescape on,
 * nested interpretation off (a data value "{{ 7*7 }}" stays text), capped output and string
 * sizes, map iteration over keys as in Jinja2. Contexts are plain JSON values (maps, lists,
 * strings, numbers), never live Java objects, so templates cannot call Java methods.
 */
@Service
public class TemplateRenderer {

    private static final String STATIC_BASE = "__cococloud_static_base";
    static final long MAX_OUTPUT_BYTES = 10L * 1024 * 1024;

    private final Jinjava jinjava;
    private final String baseUrl;

    public TemplateRenderer(@Value("${coco.base-url}") String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withNestedInterpretationEnabled(false)
                .withMaxOutputSize(MAX_OUTPUT_BYTES)
                .withMaxStringLength(MAX_OUTPUT_BYTES)
                .withMaxListSize(100_000)
                .withMaxMapSize(100_000)
                .withMaxRenderDepth(10)
                .withIterateOverMapKeys(true)
                .withFailOnUnknownTokens(false)
                .build();
        jinjava = new Jinjava(config);
        jinjava.getGlobalContext().setAutoEscape(true);
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "static", TemplateRenderer.class,
                "staticUrl", String.class));
    }

    /** The public URL of a project's static file; {@code static('css/main.css')} in templates. */
    public String staticBaseUrl(UUID projectId) {
        return baseUrl + "/static/" + projectId + "/";
    }

    /**
     * Renders a template string.
     *
     * @throws TemplateException naming the line of the first fatal error
     */
    public String renderString(UUID projectId, String template, Map<String, Object> context) {
        Map<String, Object> bindings = new HashMap<>(context);
        bindings.put(STATIC_BASE, staticBaseUrl(projectId));
        RenderResult result = jinjava.renderForResult(template, bindings);
        String fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .map(e -> e.getMessage() + (e.getLineno() > 0 ? " (line " + e.getLineno() + ")" : ""))
                .collect(Collectors.joining("; "));
        if (!fatal.isEmpty()) {
            throw new TemplateException("Template error: " + fatal);
        }
        return result.getOutput();
    }

    /** Called by Jinjava for {@code static(path)}; the project comes from the render's bindings. */
    public static String staticUrl(String path) {
        Object base = JinjavaInterpreter.getCurrent().getContext().get(STATIC_BASE);
        return base + (path == null ? "" : path.replaceFirst("^/+", ""));
    }

    /** A template that cannot be rendered; the message is meant for the template's author. */
    public static class TemplateException extends RuntimeException {
        public TemplateException(String message) {
            super(message);
        }
    }
}
