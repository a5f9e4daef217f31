package io.cococloud.appuser;

import java.util.UUID;

import org.springframework.stereotype.Service;

/** Gives the {@link VisibleUsers} of a reader in a project: the rule every path that shows app users applies. */
@Service
public class AppUserVisibility {

    private final AppUserSettings settings;

    AppUserVisibility(AppUserSettings settings) {
        this.settings = settings;
    }

    /** What {@code reader} may see of the users of {@code projectId}, under that project's own settings only. */
    public VisibleUsers of(UUID projectId, ReadAccess reader) {
        return new VisibleUsers(reader, reader.wholeProject() ? AppUserReadSettings.CLOSED : settings.get(projectId));
    }
}
