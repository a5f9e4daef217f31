package io.cococloud.project;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;


/** The browser origins allowed to call the project's client API and functions: members read, admins set. */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/cors")
class ProjectCorsController {

    private final ProjectCors cors;

    ProjectCorsController(ProjectCors cors) {
        this.cors = cors;
    }

    record CorsView(List<String> allowedOrigins) {}

    @GetMapping
    CorsView get(@ProjectRole(Role.VIEWER) Membership project) {
        return new CorsView(cors.allowedOrigins(project.projectId()));
    }

    @PutMapping
    CorsView set(@ProjectRole(Role.ADMIN) Membership project, @RequestBody CorsView body) {
        return new CorsView(cors.set(project.projectId(), body.allowedOrigins()));
    }
}
