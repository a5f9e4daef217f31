package io.cococloud.secret;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.project.ProjectAccess;
import io.cococloud.project.Role;
import io.cococloud.secret.VariableService.Variable;
import io.cococloud.web.ApiProblem;

/** A project's variables in the admin API: plain configuration, shown with values. Developers write. */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/variables")
class VariableAdminController {

    private final VariableService variables;
    private final ProjectAccess access;

    VariableAdminController(VariableService variables, ProjectAccess access) {
        this.variables = variables;
        this.access = access;
    }

    record ValueRequest(String value) {}

    @GetMapping
    List<Variable> list(@PathVariable String projectId, @AuthenticationPrincipal AdminPrincipal caller) {
        return variables.list(access.require(projectId, caller, Role.VIEWER).projectId());
    }

    /** Creates (201) or replaces (200) the variable's value. */
    @PutMapping("/{name}")
    ResponseEntity<Variable> put(@PathVariable String projectId, @PathVariable String name,
            @AuthenticationPrincipal AdminPrincipal caller, @RequestBody ValueRequest body) {
        var project = access.require(projectId, caller, Role.DEVELOPER);
        VariableService.Saved saved = variables.put(project.projectId(), name, body.value());
        return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK).body(saved.variable());
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String projectId, @PathVariable String name,
            @AuthenticationPrincipal AdminPrincipal caller) {
        var project = access.require(projectId, caller, Role.DEVELOPER);
        if (!variables.delete(project.projectId(), name)) {
            throw ApiProblem.notFound("Variable " + name);
        }
    }
}
