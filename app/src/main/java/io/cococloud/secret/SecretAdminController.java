package io.cococloud.secret;

import java.time.Instant;
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
import io.cococloud.secret.SecretRepository.Info;

/**
 * A project's secrets in the admin API. Values go in and never come out: every answer names secrets
 * only. Any member sees the names; admins and owners set and delete them.
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/secrets")
class SecretAdminController {

    private final SecretService secrets;

    SecretAdminController(SecretService secrets) {
        this.secrets = secrets;
    }

    record ValueRequest(String value) {
        /** Records print their fields; this one must never print a secret into a log or an error. */
        @Override
        public String toString() {
            return "ValueRequest[value=(hidden)]";
        }
    }

    /** A secret as shown: {@code set} is always true, for a console that lists what is configured. */
    record SecretView(String name, boolean set, Instant createdAt, Instant updatedAt) {
        static SecretView of(Info info) {
            return new SecretView(info.name(), true, info.createdAt(), info.updatedAt());
        }
    }

    @GetMapping
    List<SecretView> list(@ProjectRole(Role.VIEWER) Membership project) {
        return secrets.list(project.projectId()).stream().map(SecretView::of).toList();
    }

    /** Creates (201) or replaces (200) the secret's value. */
    @PutMapping("/{name}")
    ResponseEntity<SecretView> put(@ProjectRole(Role.ADMIN) Membership project, @PathVariable String name,
            @RequestBody ValueRequest body) {
        SecretService.Saved saved = secrets.put(project.projectId(), name, body.value());
        return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(SecretView.of(saved.info()));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.ADMIN) Membership project, @PathVariable String name) {
        if (!secrets.delete(project.projectId(), name)) {
            throw NotFoundException.of("Secret " + name);
        }
    }
}
