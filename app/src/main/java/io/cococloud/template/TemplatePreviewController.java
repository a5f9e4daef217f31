package io.cococloud.template;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.project.ProjectAccess;
import io.cococloud.project.Role;
import io.cococloud.web.ApiProblem;

/**
 * A template rendered without storing it, for the console's live preview: the renderer, limits and stored
 * templates (for {@code include} and {@code extends}) a function's render gets, with the context as JSON.
 */
@RestController
class TemplatePreviewController {

    private final TemplateRenderer renderer;
    private final ProjectAccess access;
    private final JsonMapper json;

    TemplatePreviewController(TemplateRenderer renderer, ProjectAccess access, JsonMapper json) {
        this.renderer = renderer;
        this.access = access;
        this.json = json;
    }

    record PreviewRequest(String content, JsonNode context) {}

    record Preview(String output) {}

    @PostMapping("/admin/api/v1/projects/{projectId}/template-preview")
    Preview preview(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @RequestBody PreviewRequest body) {
        var project = access.require(projectId, me, Role.DEVELOPER).projectId();
        if (body.content() == null) {
            throw ApiProblem.badRequest("content is required: the template's Jinja source").with("field", "content");
        }
        int bytes = body.content().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > TemplateService.MAX_CONTENT_BYTES) {
            throw ApiProblem.badRequest("content is " + bytes + " bytes (UTF-8); a template holds at most "
                    + TemplateService.MAX_CONTENT_BYTES).with("field", "content");
        }
        Map<String, Object> context = TemplatePreview.context(json, body.context());
        try {
            return new Preview(renderer.renderString(project, body.content(), context));
        } catch (TemplateRenderer.TemplateException e) {
            throw ApiProblem.badRequest(e.getMessage()).with("line", e.line() > 0 ? e.line() : null);
        }
    }
}
