package io.cococloud.appuser;

import java.util.Map;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.project.ProjectAccess;
import io.cococloud.project.Role;

/**
 * A project's app user settings in the admin API: who besides a server key may read its users through the
 * client API, and which of their fields ({@link AppUserReadSettings}). Any member reads them; opening users to
 * clients exposes personal data, so only admins and owners change them.
 */
@RestController
class AppUserSettingsController {

    private static final String PATH = "/admin/api/v1/projects/{projectId}/users/settings";

    private final AppUserSettings settings;
    private final ProjectAccess access;

    AppUserSettingsController(AppUserSettings settings, ProjectAccess access) {
        this.settings = settings;
        this.access = access;
    }

    @GetMapping(PATH)
    Map<String, Object> get(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId) {
        return settings.get(access.require(projectId, me, Role.VIEWER).projectId()).view();
    }

    /** Replaces the settings; a key left out takes its default (readable_by none, no public fields). */
    @PutMapping(PATH)
    Map<String, Object> replace(@AuthenticationPrincipal AdminPrincipal me, @PathVariable String projectId,
            @RequestBody Map<String, Object> body) {
        return settings.replace(access.require(projectId, me, Role.ADMIN).projectId(), body).view();
    }
}
