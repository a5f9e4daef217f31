package io.cococloud.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void readsTheOneTokenOfABearerHeaderInAnyCaseOfTheScheme() {
        assertThat(BearerToken.of("Bearer abc.DEF-123_")).contains("abc.DEF-123_");
        assertThat(BearerToken.of("bearer abc")).contains("abc");
        assertThat(BearerToken.of("BEARER abc")).contains("abc");
        assertThat(BearerToken.of("Bearer   abc  ")).contains("abc");
    }

    @Test
    void refusesAnythingButOneToken() {
        assertThat(BearerToken.of(null)).isEmpty();
        assertThat(BearerToken.of("")).isEmpty();
        assertThat(BearerToken.of("Bearer")).isEmpty();
        assertThat(BearerToken.of("Bearer ")).isEmpty();
        assertThat(BearerToken.of("Bearer    ")).isEmpty();
        assertThat(BearerToken.of("Bearer abc def")).isEmpty();
        assertThat(BearerToken.of("Basic YWxhZGRpbjpvcGVuc2VzYW1l")).isEmpty();
        assertThat(BearerToken.of("Bearerabc")).isEmpty();
        assertThat(BearerToken.of(" Bearer abc")).isEmpty();
    }

    @Test
    void tellsABearerAttemptFromAnotherScheme() {
        assertThat(BearerToken.isBearer("Bearer abc")).isTrue();
        assertThat(BearerToken.isBearer("bearer ")).isTrue();
        assertThat(BearerToken.isBearer("Bearer abc def")).isTrue();
        assertThat(BearerToken.isBearer("Basic abc")).isFalse();
        assertThat(BearerToken.isBearer("Bearer")).isFalse();
        assertThat(BearerToken.isBearer(null)).isFalse();
    }
}
