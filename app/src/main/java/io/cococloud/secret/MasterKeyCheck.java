package io.cococloud.secret;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Refuses a configuration that cannot read the stored secrets. A wrong or missing master key must stop
 * the server at startup, naming the key it needs, rather than let it run and fail (or worse, tempt
 * someone to re-set secrets) one function call at a time.
 */
final class MasterKeyCheck {

    private final SecretRepository secrets;
    private final MasterKeys keys;

    MasterKeyCheck(SecretRepository secrets, MasterKeys keys) {
        this.secrets = secrets;
        this.keys = keys;
    }

    /** @throws IllegalStateException naming every key id that stored secrets need and this server lacks */
    void verify() {
        Map<String, Long> missing = new LinkedHashMap<>();
        secrets.countByKeyId().forEach((keyId, count) -> {
            if (keys.find(keyId).isEmpty()) {
                missing.put(keyId, count);
            }
        });
        if (missing.isEmpty()) {
            return;
        }
        String needed = missing.entrySet().stream()
                .map(e -> e.getValue() + " secret" + (e.getValue() == 1 ? "" : "s") + " under key id " + e.getKey())
                .collect(Collectors.joining(", "));
        String first = missing.keySet().iterator().next();
        throw new IllegalStateException("Refusing to start: the database holds " + needed
                + ", but this server holds only master key id" + (keys.ids().size() == 1 ? " " : "s ")
                + String.join(", ", keys.ids()) + ". Set COCO_MASTER_KEY to the key with id " + first
                + " (without COCO_MASTER_KEY the server uses the file master.key in its data directory);"
                + " to move to a new key, set the old one in COCO_MASTER_KEY_PREVIOUS and the new one in"
                + " COCO_MASTER_KEY. Running without it would leave those secrets unreadable.");
    }
}
