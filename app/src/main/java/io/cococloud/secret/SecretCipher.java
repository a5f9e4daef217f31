package io.cococloud.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for secret values: a fresh 12-byte random nonce per value, and the project and name as
 * associated data, so a row copied to another project or renamed fails to decrypt instead of handing
 * its value to the wrong place.
 */
final class SecretCipher {

    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecureRandom random = new SecureRandom();

    /** A value as stored: what the {@code secrets} table holds besides the project and name. */
    record Sealed(byte[] nonce, byte[] ciphertext, String keyId) {}

    Sealed seal(MasterKey key, UUID projectId, String name, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, projectId, name);
            return new Sealed(nonce, cipher.doFinal(value.getBytes(StandardCharsets.UTF_8)), key.id());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** @throws UnreadableSecretException when the row was altered or belongs to another project or name */
    String open(MasterKey key, UUID projectId, String name, Sealed sealed) {
        if (!key.id().equals(sealed.keyId()) || sealed.nonce().length != NONCE_BYTES) {
            throw new UnreadableSecretException(name, "it was not encrypted with master key " + key.id());
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, sealed.nonce(), projectId, name);
            return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnreadableSecretException(name,
                    "its stored value was altered or was not written for this project and name");
        } catch (GeneralSecurityException e) {
            throw new UnreadableSecretException(name, "its stored value is malformed");
        }
    }

    private static Cipher cipher(int mode, MasterKey key, byte[] nonce, UUID projectId, String name)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData(projectId, name));
        return cipher;
    }

    /** Versioned, and unambiguous: a UUID has a fixed length, and the name comes last. */
    private static byte[] associatedData(UUID projectId, String name) {
        return ("cococloud-secret-v1\0" + projectId + "\0" + name).getBytes(StandardCharsets.UTF_8);
    }
}
