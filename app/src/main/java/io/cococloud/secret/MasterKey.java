package io.cococloud.secret;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 master key and its id: the first 8 hex characters of the SHA-256 of the key bytes,
 * stored with every secret so the server can tell which key a row needs without trying them all.
 * The id reveals nothing useful about the key, so it may appear in logs and error messages.
 */
record MasterKey(String id, SecretKey key) {

    static final int BYTES = 32;

    /**
     * @param base64 the key as configured (COCO_MASTER_KEY): base64 of 32 bytes
     * @param source where it came from, for the error message (the key itself is never echoed)
     */
    static MasterKey parse(String base64, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not valid base64; it must be the base64 of " + BYTES
                    + " random bytes (e.g. `openssl rand -base64 32`)");
        }
        if (bytes.length != BYTES) {
            throw new IllegalStateException(source + " decodes to " + bytes.length + " bytes; it must be the base64"
                    + " of exactly " + BYTES + " random bytes (e.g. `openssl rand -base64 32`)");
        }
        return of(bytes);
    }

    static MasterKey of(byte[] bytes) {
        return new MasterKey(idOf(bytes), new SecretKeySpec(bytes, "AES"));
    }

    String base64() {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static String idOf(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Never the key: records print their fields, and a key must not reach a log by accident. */
    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
