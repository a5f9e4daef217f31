package io.cococloud.template;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.UriUtils;

import io.cococloud.error.ConflictException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/**
 * A project's stored templates in the admin API. A name may contain '/' ({@code emails/welcome.html}), so the
 * name is the whole rest of the path ({@code /**}, OpenAPI's {@code /{path}}); {@code GET .../{name}/versions} lists its versions (which is why no name
 * may end in the segment {@code versions}). Viewers read; developers write.
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/templates")
class TemplateAdminController {

    private static final String VERSIONS_SUFFIX = "/" + TemplateName.VERSIONS;
    private static final int PREFIX_ELEMENTS = 13;

    private final TemplateService templates;

    TemplateAdminController(TemplateService templates) {
        this.templates = templates;
    }

    record CreateTemplateRequest(String name, String content) {}

    record UpdateTemplateRequest(String content) {}

    record TemplateSummary(String name, int version, long size, Instant createdAt, Instant updatedAt) {}

    record TemplateView(String name, int version, String content, long size, Instant createdAt, Instant updatedAt) {}

    record VersionView(int version, long size, Instant createdAt) {}

    @GetMapping
    List<TemplateSummary> list(@ProjectRole(Role.VIEWER) Membership project) {
        return templates.list(project.projectId()).stream()
                .map(t -> new TemplateSummary(t.name(), t.version(), t.size(), t.createdAt(), t.updatedAt()))
                .toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TemplateView create(@ProjectRole(Role.DEVELOPER) Membership project, @RequestBody CreateTemplateRequest body) {
        if (body.name() == null) {
            throw InvalidInputException.atField("name",
                    "name is required: the template's name, e.g. emails/welcome.html");
        }
        return view(templates.create(project.projectId(), body.name(), body.content())
                .orElseThrow(() -> new ConflictException("A template named " + body.name() + " exists already")
                        .with("field", "name")));
    }

    /** One template's current content, an older one with {@code ?version=}, or with a /versions suffix its versions. */
    @GetMapping("/**")
    Object get(@ProjectRole(Role.VIEWER) Membership project, HttpServletRequest request,
            @RequestParam(required = false) Integer version) {
        String name = name(request);
        if (name.endsWith(VERSIONS_SUFFIX)) {
            String template = name.substring(0, name.length() - VERSIONS_SUFFIX.length());
            return templates.versions(project.projectId(), template).orElseThrow(() -> missing(template)).stream()
                    .map(v -> new VersionView(v.version(), v.size(), v.createdAt())).toList();
        }
        return view(templates.get(project.projectId(), name, version)
                .orElseThrow(() -> version == null ? missing(name)
                        : NotFoundException.of("Version " + version + " of template " + name)));
    }

    /** Saves new content as the next version; the old one stays readable with {@code ?version=}. */
    @PutMapping("/**")
    TemplateView update(@ProjectRole(Role.DEVELOPER) Membership project, HttpServletRequest request,
            @RequestBody UpdateTemplateRequest body) {
        String name = name(request);
        return view(templates.update(project.projectId(), name, body.content()).orElseThrow(() -> missing(name)));
    }

    @DeleteMapping("/**")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.DEVELOPER) Membership project, HttpServletRequest request) {
        String name = name(request);
        if (!templates.delete(project.projectId(), name)) {
            throw missing(name);
        }
    }

    /**
     * The template's name: the rest of the path after {@code /admin/api/v1/projects/{projectId}/templates/},
     * decoded. That prefix is 13 path elements (7 separators, 6 segments), as the mapping guarantees.
     */
    private static String name(HttpServletRequest request) {
        RequestPath path = ServletRequestPathUtils.hasParsedRequestPath(request)
                ? ServletRequestPathUtils.getParsedRequestPath(request) : ServletRequestPathUtils.parseAndCache(request);
        PathContainer within = path.pathWithinApplication();
        String rest = within.elements().size() <= PREFIX_ELEMENTS ? "" : within.subPath(PREFIX_ELEMENTS).value();
        return UriUtils.decode(rest, StandardCharsets.UTF_8);
    }

    private static TemplateView view(TemplateRepository.Stored t) {
        return new TemplateView(t.name(), t.version(), t.content(),
                t.content().getBytes(StandardCharsets.UTF_8).length, t.createdAt(), t.updatedAt());
    }

    private static NotFoundException missing(String name) {
        return NotFoundException.of("Template " + name);
    }
}
