package io.cococloud.project;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;

@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/keys")
class ApiKeyController {

    private final ApiKeyService keys;
    private final ProjectAccess access;

    ApiKeyController(ApiKeyService keys, ProjectAccess access) {
        this.keys = keys;
        this.access = access;
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

    record CreatedApiKeyView(UUID id, String kind, String name, String prefix, Instant createdAt,
            Instant lastUsedAt, String key) {}

    @GetMapping
    List<ApiKeyView> list(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId) {
        return keys.list(access.require(projectId, me, Role.VIEWER).projectId()).stream()
                .map(ApiKeyView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedApiKeyView create(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @Valid @RequestBody CreateApiKeyRequest body) {
        ApiKeyService.Created created = keys.create(access.require(projectId, me, Role.ADMIN).projectId(),
                ApiKey.Kind.valueOf(body.kind().name().toUpperCase()), body.name());
        ApiKey k = created.key();
        return new CreatedApiKeyView(k.id(), k.kind().json(), k.name(), k.prefix(), k.createdAt(), k.lastUsedAt(),
                created.secret());
    }

    @DeleteMapping("/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @PathVariable UUID keyId) {
        keys.revoke(access.require(projectId, me, Role.ADMIN).projectId(), keyId);
    }
}
