package io.cococloud.secret;

/**
 * A stored secret that cannot be decrypted with the keys this server holds. Its message names the
 * secret and why, never a value.
 */
public class UnreadableSecretException extends RuntimeException {

    UnreadableSecretException(String name, String why) {
        super("secret '" + name + "' cannot be read: " + why);
    }
}
