package io.cococloud.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where master keys come from: configuration, or a file the zero-config server makes once. */
class MasterKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void theKeyIdIsTheFirstEightHexCharactersOfTheKeysSha256() throws Exception {
        byte[] bytes = new byte[32];
        bytes[0] = 7;
        MasterKey key = MasterKey.parse(Base64.getEncoder().encodeToString(bytes), "test");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(key.id()).isEqualTo(sha.substring(0, 8));
        assertThat(key.toString()).doesNotContain(key.base64());
    }

    @Test
    void withoutAConfiguredKeyOneIsGeneratedOnceIntoTheDataDirectoryReadableByItsOwnerOnly() throws Exception {
        MasterKeys first = MasterKeys.load("", "", dataDir);
        Path file = dataDir.resolve("master.key");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        assertThat(MasterKeys.load(null, null, dataDir).current().id()).isEqualTo(first.current().id());
        try (var leftovers = Files.list(dataDir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString()).toList()).containsExactly("master.key");
        }
    }

    @Test
    void aConfiguredKeyWinsOverTheFileAndPreviousKeysAreReadOnly() {
        String configured = randomKey();
        String old1 = randomKey();
        String old2 = randomKey();
        MasterKeys keys = MasterKeys.load(configured, old1 + ", " + old2 + ",", dataDir);
        assertThat(keys.current().base64()).isEqualTo(configured);
        assertThat(dataDir.resolve("master.key")).doesNotExist();
        assertThat(keys.previousIds()).containsExactly(MasterKey.parse(old1, "t").id(), MasterKey.parse(old2, "t").id());
        assertThat(keys.ids()).hasSize(3).first().isEqualTo(keys.current().id());
    }

    @Test
    void aMalformedKeyIsRefusedWithoutEchoingIt() {
        String tooShort = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKeys.load(tooShort, null, dataDir))
                .hasMessageContaining("COCO_MASTER_KEY").hasMessageContaining("16 bytes")
                .hasMessageNotContaining(tooShort);
        assertThatThrownBy(() -> MasterKeys.load("not base64 at all!", null, dataDir))
                .hasMessageContaining("not valid base64").hasMessageNotContaining("at all");
        assertThatThrownBy(() -> MasterKeys.load(randomKey(), "garbage!", dataDir))
                .hasMessageContaining("COCO_MASTER_KEY_PREVIOUS (entry 1)");
    }

    @Test
    void aDamagedKeyFileStopsTheServerRatherThanBeingReplaced() throws Exception {
        Files.writeString(dataDir.resolve("master.key"), "truncated");
        assertThatThrownBy(() -> MasterKeys.load("", "", dataDir)).hasMessageContaining("master.key");
        assertThat(Files.readString(dataDir.resolve("master.key"))).isEqualTo("truncated");
    }

    @Test
    void keysAreFoundById() {
        MasterKeys keys = new MasterKeys(MasterKey.parse(randomKey(), "a"), List.of(MasterKey.parse(randomKey(), "b")));
        assertThat(keys.find(keys.current().id())).contains(keys.current());
        assertThat(keys.find(keys.previousIds().getFirst())).isPresent();
        assertThat(keys.find("00000000")).isEmpty();
    }

    static String randomKey() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
