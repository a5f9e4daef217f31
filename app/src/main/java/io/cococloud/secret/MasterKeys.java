package io.cococloud.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master keys this server holds: the current one, which encrypts every new value, and the
 * previous ones of a rotation, which only decrypt. Without a configured key, the zero-config server
 * generates one on first start and keeps it beside its database ({@code master.key}, mode 600): the
 * two belong together, and losing the file loses the secrets, so it is never overwritten.
 */
final class MasterKeys {

    private static final Logger log = LoggerFactory.getLogger(MasterKeys.class);
    static final String KEY_FILE = "master.key";

    private final MasterKey current;
    private final Map<String, MasterKey> byId = new LinkedHashMap<>();

    MasterKeys(MasterKey current, List<MasterKey> previous) {
        this.current = current;
        byId.put(current.id(), current);
        previous.forEach(key -> byId.putIfAbsent(key.id(), key));
    }

    /**
     * The keys of the configuration: {@code masterKey} (else the data directory's key file, created if
     * missing) and the comma-separated {@code previousKeys}.
     */
    static MasterKeys load(String masterKey, String previousKeys, Path dataDir) {
        MasterKey current = masterKey == null || masterKey.isBlank()
                ? readOrCreate(dataDir.resolve(KEY_FILE))
                : MasterKey.parse(masterKey, "COCO_MASTER_KEY");
        List<MasterKey> previous = new ArrayList<>();
        if (previousKeys != null) {
            String[] parts = previousKeys.split(",");
            for (int i = 0; i < parts.length; i++) {
                if (!parts[i].isBlank()) {
                    previous.add(MasterKey.parse(parts[i], "COCO_MASTER_KEY_PREVIOUS (entry " + (i + 1) + ")"));
                }
            }
        }
        return new MasterKeys(current, previous);
    }

    MasterKey current() {
        return current;
    }

    Optional<MasterKey> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Ids of every key held, the current one first. */
    List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /** Ids of the keys held only for reading (a rotation in progress). */
    List<String> previousIds() {
        List<String> ids = new ArrayList<>(byId.keySet());
        ids.remove(current.id());
        return Collections.unmodifiableList(ids);
    }

    /**
     * Reads the key file, or makes it: written under a temporary name with mode 600 from the start,
     * then linked into place, which fails if another process made the file meanwhile (that one wins).
     */
    static MasterKey readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return MasterKey.parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] bytes = new byte[MasterKey.BYTES];
            new SecureRandom().nextBytes(bytes);
            MasterKey key = MasterKey.of(bytes);
            Arrays.fill(bytes, (byte) 0);
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".master-key-", ".tmp",
                    ownerOnly(file));
            try {
                Files.writeString(temporary, key.base64() + "\n", StandardCharsets.US_ASCII);
                try {
                    Files.createLink(file, temporary);
                } catch (UnsupportedOperationException e) {
                    Files.move(temporary, file); // no hard links here: still refuses to replace a file
                }
            } catch (FileAlreadyExistsException e) {
                return MasterKey.parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
            } finally {
                Files.deleteIfExists(temporary);
            }
            log.warn("Generated a new secrets master key (id {}) in {}. Back it up with the database: without it "
                    + "the project secrets cannot be read. To manage it yourself set COCO_MASTER_KEY to the "
                    + "file's content.", key.id(), file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the secrets master key " + file
                    + "; set COCO_MASTER_KEY or make the data directory writable", e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path file) {
        boolean posix = file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews()
                .contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }
}
