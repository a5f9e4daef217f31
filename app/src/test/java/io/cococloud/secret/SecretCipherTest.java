package io.cococloud.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cococloud.secret.SecretCipher.Sealed;

/** AES-256-GCM with the project and name bound in: a value opens only where it was sealed. */
class SecretCipherTest {

    final SecretCipher cipher = new SecretCipher();
    final MasterKey key = MasterKey.parse(MasterKeyTest.randomKey(), "test");
    final UUID project = UUID.randomUUID();

    @Test
    void aSealedValueOpensWithTheSameKeyProjectAndName() {
        Sealed sealed = cipher.seal(key, project, "api_key", "välue ✓");
        assertThat(sealed.keyId()).isEqualTo(key.id());
        assertThat(sealed.nonce()).hasSize(12);
        assertThat(cipher.open(key, project, "api_key", sealed)).isEqualTo("välue ✓");
    }

    @Test
    void everySealUsesAFreshNonce() {
        Sealed a = cipher.seal(key, project, "n", "same");
        Sealed b = cipher.seal(key, project, "n", "same");
        assertThat(a.nonce()).isNotEqualTo(b.nonce());
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
    }

    @Test
    void anotherProjectOrNameCannotOpenIt() {
        Sealed sealed = cipher.seal(key, project, "api_key", "value");
        assertThatThrownBy(() -> cipher.open(key, UUID.randomUUID(), "api_key", sealed))
                .isInstanceOf(UnreadableSecretException.class).hasMessageContaining("not written for this project");
        assertThatThrownBy(() -> cipher.open(key, project, "other", sealed))
                .isInstanceOf(UnreadableSecretException.class).hasMessageNotContaining("value'");
    }

    @Test
    void anAlteredCiphertextIsRefused() {
        Sealed sealed = cipher.seal(key, project, "n", "value");
        byte[] flipped = sealed.ciphertext().clone();
        flipped[0] ^= 1;
        assertThatThrownBy(() -> cipher.open(key, project, "n", new Sealed(sealed.nonce(), flipped, sealed.keyId())))
                .isInstanceOf(UnreadableSecretException.class).hasMessageContaining("altered");
    }

    @Test
    void anotherKeyCannotOpenIt() {
        Sealed sealed = cipher.seal(key, project, "n", "value");
        MasterKey other = MasterKey.parse(MasterKeyTest.randomKey(), "other");
        assertThatThrownBy(() -> cipher.open(other, project, "n", sealed))
                .isInstanceOf(UnreadableSecretException.class).hasMessageContaining(other.id());
        // Even when the row lies about its key id, GCM refuses.
        assertThatThrownBy(() -> cipher.open(other, project, "n",
                new Sealed(sealed.nonce(), sealed.ciphertext(), other.id())))
                .isInstanceOf(UnreadableSecretException.class);
    }
}
