package io.cococloud.project;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;


@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/keys")
class ApiKeyController {

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    record CreateApiKeyRequest(@NotNull KindValue kind, @Size(max = 100) String name) {}

    /** The JSON spelling of a key kind: "client" or "server". */
    enum KindValue {
        client, server
    }

    record ApiKeyView(UUID id, String kind, String name, String prefix, Instant createdAt, Instant lastUsedAt) {
        static ApiKeyView of(ApiKey k) {
            return new ApiKeyView(k.id(), k.kind().json(), k.name(), k.prefix(), k.createdAt(), k.lastUsedAt());
        }
    }

    /** A key as listed, and once, right after it is made, the key itself. */
    record CreatedApiKeyView(UUID id, String kind, String name, String prefix, Instant createdAt,
            Instant lastUsedAt, String key) {
        static CreatedApiKeyView of(ApiKeyService.Created created) {
            ApiKeyView k = ApiKeyView.of(created.key());
            return new CreatedApiKeyView(k.id(), k.kind(), k.name(), k.prefix(), k.createdAt(), k.lastUsedAt(),
                    created.secret());
        }
    }

    @GetMapping
    List<ApiKeyView> list(@ProjectRole(Role.VIEWER) Membership project) {
        return keys.list(project.projectId()).stream().map(ApiKeyView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedApiKeyView create(@ProjectRole(Role.ADMIN) Membership project,
            @Valid @RequestBody CreateApiKeyRequest body) {
        return CreatedApiKeyView.of(keys.create(project.projectId(),
                ApiKey.Kind.valueOf(body.kind().name().toUpperCase()), body.name()));
    }

    @DeleteMapping("/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@ProjectRole(Role.ADMIN) Membership project, @PathVariable UUID keyId) {
        keys.revoke(project.projectId(), keyId);
    }
}
