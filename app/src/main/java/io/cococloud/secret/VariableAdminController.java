package io.cococloud.secret;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.error.NotFoundException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;
import io.cococloud.secret.VariableService.Variable;

/** A project's variables in the admin API: plain configuration, shown with values. Developers write. */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/variables")
class VariableAdminController {

    private final VariableService variables;

    VariableAdminController(VariableService variables) {
        this.variables = variables;
    }

    record ValueRequest(String value) {}

    @GetMapping
    List<Variable> list(@ProjectRole(Role.VIEWER) Membership project) {
        return variables.list(project.projectId());
    }

    /** Creates (201) or replaces (200) the variable's value. */
    @PutMapping("/{name}")
    ResponseEntity<Variable> put(@ProjectRole(Role.DEVELOPER) Membership project, @PathVariable String name,
            @RequestBody ValueRequest body) {
        VariableService.Saved saved = variables.put(project.projectId(), name, body.value());
        return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK).body(saved.variable());
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.DEVELOPER) Membership project, @PathVariable String name) {
        if (!variables.delete(project.projectId(), name)) {
            throw NotFoundException.of("Variable " + name);
        }
    }
}
