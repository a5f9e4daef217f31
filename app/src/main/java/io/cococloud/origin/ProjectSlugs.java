package io.cococloud.origin;

import java.util.Optional;
import java.util.UUID;

/**
 * The one thing origins need to know of projects: which project a host's slug names, and which slug a project has.
 * The project module implements it ({@code ProjectDirectory}), so origins stay below projects: the project's view
 * shows its origin without origins depending back on projects.
 */
public interface ProjectSlugs {

    /** The project whose slug this is; never takes an id. */
    Optional<UUID> idOfSlug(String slug);

    /** The project's current slug; empty when it does not exist. */
    Optional<String> slugOf(UUID projectId);
}
