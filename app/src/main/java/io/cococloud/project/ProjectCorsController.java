package io.cococloud.project;

import java.util.List;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;

/** The browser origins allowed to call the project's client API and functions: members read, admins set. */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/cors")
class ProjectCorsController {

    private final ProjectCors cors;
    private final ProjectAccess access;

    ProjectCorsController(ProjectCors cors, ProjectAccess access) {
        this.cors = cors;
        this.access = access;
    }

    record CorsView(List<String> allowedOrigins) {}

    @GetMapping
    CorsView get(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId) {
        return new CorsView(cors.allowedOrigins(access.require(projectId, me, Role.VIEWER).projectId()));
    }

    @PutMapping
    CorsView set(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @RequestBody CorsView body) {
        return new CorsView(cors.set(access.require(projectId, me, Role.ADMIN).projectId(), body.allowedOrigins()));
    }
}
