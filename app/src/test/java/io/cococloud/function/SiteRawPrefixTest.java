package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A framework app's prefix is cut from the path as sent, whatever the encoding of the route's folder names. */
class SiteRawPrefixTest {

    @Test
    void anEncodedFolderNameIsCutAsSent() {
        assertThat(SiteController.rawPrefix("/my%20api/users", "/my api")).isEqualTo("/my%20api");
        assertThat(SiteController.rawPrefix("/caf%C3%A9/menu/today", "/café/menu")).isEqualTo("/caf%C3%A9/menu");
    }

    @Test
    void theRootPrefixCutsNothing() {
        assertThat(SiteController.rawPrefix("/users", "")).isEmpty();
    }

    @Test
    void emptySegmentsCountAsTheRouterSkipsThem() {
        assertThat(SiteController.rawPrefix("//api//users", "/api")).isEqualTo("//api");
    }
}
