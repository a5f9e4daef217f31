package io.cococloud.template;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.error.InvalidInputException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/**
 * A template rendered without storing it, for the console's live preview: the renderer, limits and stored
 * templates (for {@code include} and {@code extends}) a function's render gets, with the context as JSON.
 */
@RestController
class TemplatePreviewController {

    private final TemplateRenderer renderer;
    private final JsonMapper json;

    TemplatePreviewController(TemplateRenderer renderer, JsonMapper json) {
        this.renderer = renderer;
        this.json = json;
    }

    record PreviewRequest(String content, JsonNode context) {}

    record Preview(String output) {}

    @PostMapping("/admin/api/v1/projects/{projectId}/template-preview")
    Preview preview(@ProjectRole(Role.DEVELOPER) Membership project, @RequestBody PreviewRequest body) {
        if (body.content() == null) {
            throw InvalidInputException.atField("content", "content is required: the template's Jinja source");
        }
        int bytes = body.content().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > TemplateService.MAX_CONTENT_BYTES) {
            throw InvalidInputException.atField("content", "content is " + bytes + " bytes (UTF-8); a template holds"
                    + " at most " + TemplateService.MAX_CONTENT_BYTES);
        }
        Map<String, Object> context = TemplatePreview.context(json, body.context());
        try {
            return new Preview(renderer.renderString(project.projectId(), body.content(), context));
        } catch (TemplateRenderer.TemplateException e) {
            throw new InvalidInputException(e.getMessage()).with("line", e.line() > 0 ? e.line() : null);
        }
    }
}
