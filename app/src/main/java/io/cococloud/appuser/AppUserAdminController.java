package io.cococloud.appuser;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.error.NotFoundException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/**
 * A project's app users in the admin API (ADMIN_API.md {@code /users}): viewers read, developers
 * and above create, change and delete. Unlike the client API this shows disabled users and the
 * account state ({@code disabled}, {@code updated_at}); never a password hash or token.
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/users")
class AppUserAdminController {

    private final AppUserService users;
    private final AppUserDirectory directory;
    private final AppUserVisibility visibility;

    AppUserAdminController(AppUserService users, AppUserDirectory directory, AppUserVisibility visibility) {
        this.users = users;
        this.directory = directory;
        this.visibility = visibility;
    }

    record CreateUserRequest(@NotBlank @Email @Size(max = 254) String email, @NotNull String password,
            Map<String, Object> data, @Size(max = 50) List<@NotBlank @Size(max = 100) String> roles) {}

    /** Every field optional; {@code data} is merged, {@code roles} replaced, a password ends all sessions. */
    record UpdateUserRequest(@Email @Size(max = 254) String email, String password, Map<String, Object> data,
            @Size(max = 50) List<@NotBlank @Size(max = 100) String> roles, Boolean disabled) {}

    /** Query parameters other than limit, offset, sort, order and populate are filters (see AppUserDirectory). */
    @GetMapping
    AppUserDirectory.Page.View list(@RequestParam MultiValueMap<String, String> params,
            @ProjectRole(Role.VIEWER) Membership membership) {
        UUID project = membership.projectId();
        AppUserDirectory.Query query = AppUserDirectory.Query.of(params);
        List<String> populate = AppUserDirectory.populateEntries(params);
        AppUserDirectory.Page page = directory.list(project, query, true);
        List<Map<String, Object>> views = page.data().stream().map(ManagedUser::adminView).toList();
        directory.populate(project, views, populate, visibility.of(project, ReadAccess.project()));
        return page.view(views);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> create(@Valid @RequestBody CreateUserRequest body,
            @ProjectRole(Role.DEVELOPER) Membership membership) {
        UUID project = membership.projectId();
        AppUser created = users.create(project, body.email(), body.password(), body.data(), roles(body.roles()));
        return get(project, created.id()).adminView();
    }

    @GetMapping("/{userId}")
    Map<String, Object> get(@PathVariable String userId, @ProjectRole(Role.VIEWER) Membership project) {
        return get(project.projectId(), userId).adminView();
    }

    @PatchMapping("/{userId}")
    Map<String, Object> update(@PathVariable String userId, @Valid @RequestBody UpdateUserRequest body,
            @ProjectRole(Role.DEVELOPER) Membership membership) {
        UUID project = membership.projectId();
        users.updateAsAdmin(project, userId, body.email(), body.password(), body.data(), roles(body.roles()),
                body.disabled()).orElseThrow(() -> notFound(userId));
        return get(project, userId).adminView();
    }

    @DeleteMapping("/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String userId, @ProjectRole(Role.DEVELOPER) Membership project) {
        if (!users.delete(project.projectId(), userId)) {
            throw notFound(userId);
        }
    }

    private ManagedUser get(UUID project, String userId) {
        return directory.find(project, userId, true).orElseThrow(() -> notFound(userId));
    }

    /** Stripped and without repeats: roles are a set. */
    private static List<String> roles(List<String> roles) {
        return roles == null ? null : roles.stream().map(String::strip).distinct().toList();
    }

    private static NotFoundException notFound(String userId) {
        return NotFoundException.of("App user " + userId);
    }
}
