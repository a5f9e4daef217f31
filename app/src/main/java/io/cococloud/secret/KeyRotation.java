package io.cococloud.secret;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cococloud.secret.SecretRepository.Row;

/**
 * Moves every secret still under a previous master key (COCO_MASTER_KEY_PREVIOUS) to the current one.
 * Rows are read a page at a time in key order and each is replaced only if unchanged since it was read,
 * so it is safe while the server serves and with several nodes doing it at once. A row that does not
 * decrypt is left as it is and reported; it blocks nothing but itself.
 */
final class KeyRotation {

    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);
    private static final int PAGE = 200;

    private final SecretRepository secrets;
    private final SecretCipher cipher;
    private final MasterKeys keys;

    KeyRotation(SecretRepository secrets, SecretCipher cipher, MasterKeys keys) {
        this.secrets = secrets;
        this.cipher = cipher;
        this.keys = keys;
    }

    /** @param unreadable "project/name" of rows that did not decrypt with their key */
    record Result(int reencrypted, List<String> unreadable) {}

    Result run() {
        List<String> previous = keys.previousIds();
        if (previous.isEmpty()) {
            return new Result(0, List.of());
        }
        MasterKey current = keys.current();
        int done = 0;
        List<String> unreadable = new ArrayList<>();
        UUID afterProject = new UUID(0, 0);
        String afterName = "";
        while (true) {
            List<Row> page = secrets.underKeys(previous, afterProject, afterName, PAGE);
            for (Row row : page) {
                try {
                    MasterKey old = keys.find(row.sealed().keyId()).orElseThrow();
                    String value = cipher.open(old, row.projectId(), row.name(), row.sealed());
                    if (secrets.reencrypt(row, cipher.seal(current, row.projectId(), row.name(), value))) {
                        done++;
                    }
                } catch (UnreadableSecretException e) {
                    unreadable.add(row.projectId() + "/" + row.name());
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            afterProject = page.getLast().projectId();
            afterName = page.getLast().name();
        }
        if (done > 0 || !unreadable.isEmpty()) {
            log.info("Re-encrypted {} secrets under master key {}", done, current.id());
        }
        if (!unreadable.isEmpty()) {
            log.warn("{} secrets could not be re-encrypted because they do not decrypt (altered or moved rows);"
                    + " set them again or delete them: {}", unreadable.size(), unreadable);
        }
        return new Result(done, List.copyOf(unreadable));
    }
}
