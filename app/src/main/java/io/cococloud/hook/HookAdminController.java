package io.cococloud.hook;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/** A project's hooks in the admin API (docs/hooks.md). Viewers read; developers subscribe and unsubscribe. */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/hooks")
class HookAdminController {

    private final HookService hooks;

    HookAdminController(HookService hooks) {
        this.hooks = hooks;
    }

    record CreateHookRequest(@JsonProperty("function_id") UUID functionId, String collection, String timing,
            List<String> events) {}

    @GetMapping
    List<Hook> list(@ProjectRole(Role.VIEWER) Membership project) {
        return hooks.of(project.projectId());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Hook create(@RequestBody CreateHookRequest body, @ProjectRole(Role.DEVELOPER) Membership project) {
        return hooks.create(project.projectId(), body.functionId(), body.collection(), body.timing(), body.events());
    }

    @GetMapping("/{hookId}")
    Hook get(@PathVariable UUID hookId, @ProjectRole(Role.VIEWER) Membership project) {
        return hooks.get(project.projectId(), hookId);
    }

    @DeleteMapping("/{hookId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID hookId, @ProjectRole(Role.DEVELOPER) Membership project) {
        hooks.delete(project.projectId(), hookId);
    }
}
