package io.cococloud.appuser;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
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

    AppUserSettingsController(AppUserSettings settings) {
        this.settings = settings;
    }

    @GetMapping(PATH)
    AppUserReadSettings.View get(@ProjectRole(Role.VIEWER) Membership project) {
        return settings.get(project.projectId()).view();
    }

    /** Replaces the settings; a key left out takes its default (readable_by none, no public fields). */
    @PutMapping(PATH)
    AppUserReadSettings.View replace(@RequestBody Map<String, Object> body, @ProjectRole(Role.ADMIN) Membership project) {
        return settings.replace(project.projectId(), body).view();
    }
}
