package io.cococloud.origin;

import java.util.UUID;

/**
 * What kind of host a request came to (its Host header, classified by {@link TenantOrigins}).
 *
 * @param projectId for {@link Kind#PROJECT}: the project of the slug, or null when no project has it
 */
public record TenantHost(Kind kind, UUID projectId) {

    public enum Kind {
        /** {@code {slug}.{public domain}}: that project's tenant content and the client API, nothing else. */
        PROJECT,
        /** The console URL's host while a public domain is set: the console and APIs, no tenant content. */
        CONSOLE,
        /** Any host when no public domain is set, any other host when one is: everything, tenant content sandboxed. */
        SHARED
    }

    static final TenantHost CONSOLE = new TenantHost(Kind.CONSOLE, null);
    static final TenantHost SHARED = new TenantHost(Kind.SHARED, null);

    static TenantHost project(UUID projectId) {
        return new TenantHost(Kind.PROJECT, projectId);
    }
}
