package io.cococloud.secret;

import java.util.List;
import java.util.UUID;

/**
 * A master key the tests' server has never held, as the one a server had before a rotation: it seals values as
 * that server did, so other packages' tests can store what a rotation finds and start a node configured with it as
 * {@code coco.secrets.previous-keys} (COCO_MASTER_KEY_PREVIOUS).
 */
public final class PreviousMasterKey {

    private final MasterKey key = MasterKey.parse(MasterKeyTest.randomKey(), "previous");
    private final SealedText sealed = new SealedText(new SecretCipher(), new MasterKeys(key, List.of()));

    /** The value to configure as a previous key. */
    public String base64() {
        return key.base64();
    }

    public String id() {
        return key.id();
    }

    /** As {@link SealedText#seal} on a server whose current key this was. */
    public String seal(UUID projectId, String purpose, String value) {
        return sealed.seal(projectId, purpose, value);
    }
}
