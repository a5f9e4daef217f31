package io.cococloud.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cococloud.project.ProjectDirectory;
import io.cococloud.web.ConsoleAddress;

/**
 * The Host header decides what a request may reach, so it is read strictly: case-insensitive, the port exactly
 * as configured (a scheme's default port being the same as none), a project's host only as one slug label under
 * the public domain, and anything unusual falls to the shared host, where tenant content is sandboxed.
 */
class HostClassificationTest {

    private final UUID shop = UUID.randomUUID();
    private final ProjectDirectory projects = mock(ProjectDirectory.class);

    private TenantOrigins origins(String console, String publicDomain) {
        when(projects.idOfSlug("my-shop")).thenReturn(Optional.of(shop));
        when(projects.idOfSlug("gone")).thenReturn(Optional.empty());
        when(projects.slugOf(shop)).thenReturn(Optional.of("my-shop"));
        return new TenantOrigins(new ConsoleAddress(console), projects, publicDomain, console);
    }

    @Test
    void withoutAPublicDomainEveryHostIsShared() {
        TenantOrigins origins = origins("http://localhost:8080", "");
        for (String host : new String[] {"localhost:8080", "my-shop.localhost:8080", "example.com", null}) {
            assertThat(origins.classify(host)).as(host).isEqualTo(TenantHost.SHARED);
        }
        assertThat(origins.baseUrlOf(shop)).isEqualTo("http://localhost:8080");
        verify(projects, never()).slugOf(shop);
    }

    @Test
    void projectHostsConsoleHostAndSharedHostsAreToldApartExactly() {
        TenantOrigins origins = origins("https://console.example.com", "apps.example.com");

        assertThat(origins.classify("my-shop.apps.example.com")).isEqualTo(TenantHost.project(shop));
        assertThat(origins.classify("My-Shop.Apps.Example.COM")).isEqualTo(TenantHost.project(shop));
        assertThat(origins.classify("my-shop.apps.example.com:443")).isEqualTo(TenantHost.project(shop));
        assertThat(origins.classify("console.example.com")).isEqualTo(TenantHost.CONSOLE);
        assertThat(origins.classify("CONSOLE.example.com:443")).isEqualTo(TenantHost.CONSOLE);
        // under the public domain but no project's: refused, never the console nor shared
        assertThat(origins.classify("gone.apps.example.com")).isEqualTo(TenantHost.project(null));
        assertThat(origins.classify("x.my-shop.apps.example.com")).isEqualTo(TenantHost.project(null));
        assertThat(origins.classify(shop + ".apps.example.com")).isEqualTo(TenantHost.project(null));
        // another port, a trailing dot, an IP, junk: not these hosts, so shared (sandboxed)
        for (String host : new String[] {"my-shop.apps.example.com:8443", "console.example.com:8443",
                "my-shop.apps.example.com.", "apps.example.com", "127.0.0.1:8080", "[::1]:8080", "a b", "",
                "my-shop.apps.example.com/x", "evil.com#.apps.example.com"}) {
            assertThat(origins.classify(host)).as(host).isEqualTo(TenantHost.SHARED);
        }
        verify(projects, never()).idOf(anyString()); // a label is looked up as a slug only, never as an id
    }

    @Test
    void aProjectsOriginTakesTheConsolesSchemeAndThePublicDomainAsConfigured() {
        assertThat(origins("https://console.example.com", "Apps.Example.com").baseUrlOf(shop))
                .isEqualTo("https://my-shop.apps.example.com");
        assertThat(origins("http://localhost:8080", "localhost:8080").baseUrlOf(shop))
                .isEqualTo("http://my-shop.localhost:8080");
        assertThat(origins("http://localhost:8080", "localhost:8080").classify("my-shop.localhost:8080"))
                .isEqualTo(TenantHost.project(shop));
        assertThat(origins("http://localhost:8080", "localhost:8080").classify("my-shop.localhost"))
                .isEqualTo(TenantHost.SHARED);
        assertThatThrownBy(() -> origins("http://localhost", "https://apps.example.com"))
                .hasMessageContaining("COCO_PUBLIC_DOMAIN");
    }
}
