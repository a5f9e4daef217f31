package io.cococloud.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * High-entropy random tokens (API keys, access tokens) and their stored form. A token carries
 * 256 random bits, so a plain SHA-256 is a safe one-way hash for it (a slow password hash
 * would only slow down every authenticated request); the database never holds the token.
 */
public final class OpaqueTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OpaqueTokens() {}

    /** {@code prefix} followed by 43 URL-safe characters (32 random bytes). */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** What lists may show of a token: enough to recognise it, far too little to use it. */
    public static String displayPrefix(String token, int randomChars) {
        int cut = token.length() - 43 + randomChars;
        return token.substring(0, Math.min(cut, token.length())) + "…";
    }
}
