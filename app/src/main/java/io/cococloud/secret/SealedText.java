package io.cococloud.secret;

import java.util.Base64;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.cococloud.secret.SecretCipher.Sealed;

/**
 * Values other packages must keep readable for the server yet never store in clear, such as a collection's webhook
 * signing secret: sealed as project secrets are (AES-256-GCM under the current master key, bound to the project and
 * to what the value is for), kept as one text column: {@code keyId.nonce.ciphertext} (base64).
 */
@Service
public class SealedText {

    private final SecretCipher cipher;
    private final MasterKeys keys;

    SealedText(SecretCipher cipher, MasterKeys keys) {
        this.cipher = cipher;
        this.keys = keys;
    }

    /** @param purpose what the value is for, within the project (e.g. "webhook:orders"); opening needs the same */
    public String seal(UUID projectId, String purpose, String value) {
        Sealed sealed = cipher.seal(keys.current(), projectId, purpose, value);
        Base64.Encoder base64 = Base64.getEncoder();
        return sealed.keyId() + "." + base64.encodeToString(sealed.nonce()) + "."
                + base64.encodeToString(sealed.ciphertext());
    }

    /** @throws UnreadableSecretException when it was altered, sealed for another project or purpose, or under a key
     *         this server does not hold */
    public String open(UUID projectId, String purpose, String stored) {
        String[] parts = stored.split("\\.", -1);
        if (parts.length != 3) {
            throw new UnreadableSecretException(purpose, "its stored value is malformed");
        }
        MasterKey key = keys.find(parts[0]).orElseThrow(() -> new UnreadableSecretException(purpose,
                "it is encrypted with master key " + parts[0] + ", which this server does not hold"));
        try {
            Base64.Decoder base64 = Base64.getDecoder();
            return cipher.open(key, projectId, purpose,
                    new Sealed(base64.decode(parts[1]), base64.decode(parts[2]), parts[0]));
        } catch (IllegalArgumentException e) {
            throw new UnreadableSecretException(purpose, "its stored value is malformed");
        }
    }

    /** Whether it was sealed under an older master key: the owner seals it again, so a rotation can finish. */
    public boolean underOlderKey(String stored) {
        return !stored.startsWith(keys.current().id() + ".");
    }
}
