package io.cococloud.project;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares on an admin API endpoint the role its caller needs in the project named by the path's
 * {@code {projectId}} (an id or a slug), and gives the endpoint that project:
 *
 * <pre>{@code
 * @PutMapping("/{name}")
 * Variable put(@ProjectRole(Role.DEVELOPER) Membership project, @PathVariable String name, ...)
 * }</pre>
 *
 * A non-member gets 404, exactly as for a project that does not exist; a member below the role gets 403. The
 * project and the caller's role are looked up once per request, however many parameters ask.
 */
@Documented
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface ProjectRole {

    /** The least role the caller needs. */
    Role value();

    /**
     * Also lets an instance administrator in (who runs the server and so may see every project's operational
     * settings); the membership's role is then null when they are not a member.
     */
    boolean orInstanceAdmin() default false;
}
