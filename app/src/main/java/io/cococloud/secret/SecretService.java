package io.cococloud.secret;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.cococloud.error.ConflictException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.secret.SecretCipher.Sealed;
import io.cococloud.secret.SecretRepository.Info;

/**
 * A project's secrets: written encrypted under the current master key, read back only by the project's
 * own functions. Nothing here logs or returns a value except {@link #read}, whose caller is the runtime.
 */
@Service
public class SecretService {

    private final SecretRepository secrets;
    private final SecretCipher cipher;
    private final MasterKeys keys;
    private final SecretProperties settings;

    SecretService(SecretRepository secrets, SecretCipher cipher, MasterKeys keys, SecretProperties settings) {
        this.secrets = secrets;
        this.cipher = cipher;
        this.keys = keys;
        this.settings = settings;
    }

    /** What a PUT did: made the secret or replaced its value. */
    record Saved(boolean created, Info info) {}

    List<Info> list(UUID projectId) {
        return secrets.list(projectId);
    }

    Saved put(UUID projectId, String name, String value) {
        Names.requireValid(name, "secret");
        Names.requireValue(value, "secret", settings.maxSecretBytes());
        if (value.isEmpty()) {
            throw InvalidInputException.atField("value", "value must not be empty; DELETE removes a secret");
        }
        Sealed sealed = cipher.seal(keys.current(), projectId, name, value);
        boolean created = false;
        if (!secrets.replace(projectId, name, sealed)) {
            if (!secrets.insert(projectId, name, sealed, settings.maxPerProject())) {
                throw new ConflictException("The project has " + settings.maxPerProject()
                        + " secrets, the most it may have; delete one first");
            }
            created = true;
        }
        return new Saved(created, secrets.info(projectId, name).orElseThrow());
    }

    boolean delete(UUID projectId, String name) {
        return secrets.delete(projectId, Names.requireValid(name, "secret"));
    }

    /**
     * The value of a secret of the project, for its functions; empty when there is none.
     *
     * @throws UnreadableSecretException when the stored row does not decrypt for this project and name
     */
    public Optional<String> read(UUID projectId, String name) {
        if (!Names.valid(name)) {
            return Optional.empty(); // no secret can have that name: no query needed
        }
        return secrets.find(projectId, name).map(sealed -> {
            MasterKey key = keys.find(sealed.keyId()).orElseThrow(() -> new UnreadableSecretException(name,
                    "it is encrypted with master key " + sealed.keyId() + ", which this server does not hold"));
            return cipher.open(key, projectId, name, sealed);
        });
    }

    public boolean exists(UUID projectId, String name) {
        return Names.valid(name) && secrets.exists(projectId, name);
    }
}
