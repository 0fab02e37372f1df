package io.flywheel.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys look like {@code fwk_<id>_<secret>}: the id finds the row, the secret is checked against
 * its SHA-256 (a 256-bit random secret needs no slow hash). Only the hash is stored; the key is
 * shown once, at creation.
 */
public final class KeyFormat {

    private static final Pattern FORMAT = Pattern.compile("fwk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    public record ParsedKey(String id, String secret) {
    }

    public record NewKey(String id, String key, byte[] secretHash) {
    }

    private KeyFormat() {
    }

    public static NewKey generate() {
        String id = randomId();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(id, "fwk_" + id + "_" + encoded, sha256(encoded));
    }

    public static Optional<ParsedKey> parse(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(presented);
        return m.matches() ? Optional.of(new ParsedKey(m.group(1), m.group(2))) : Optional.empty();
    }

    /** Constant-time comparison of a presented secret with a stored hash. */
    public static boolean matches(String secret, byte[] storedHash) {
        return MessageDigest.isEqual(sha256(secret), storedHash);
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String randomId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
