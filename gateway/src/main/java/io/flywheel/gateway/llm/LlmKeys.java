package io.flywheel.gateway.llm;

import io.flywheel.gateway.auth.KeyFormat;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Langfuse-style key pairs: {@code pk-lf-<uuid>} names the pair (it is not a secret: SDKs send it in
 * headers), {@code sk-lf-<43 base64url>} proves it (256 random bits, so SHA-256 is enough, as for API
 * keys). Plain Java.
 */
public final class LlmKeys {

    private static final Pattern PUBLIC = Pattern.compile("pk-lf-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SECRET = Pattern.compile("sk-lf-[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new pair; the secret exists only in this value (and the create answer). */
    public record NewPair(String publicKey, String secretKey, byte[] secretHash) {
    }

    /** The two halves of an HTTP Basic credential. */
    public record Presented(String publicKey, String secretKey) {
    }

    private LlmKeys() {
    }

    public static NewPair generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String secretKey = "sk-lf-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewPair("pk-lf-" + java.util.UUID.randomUUID(), secretKey, KeyFormat.sha256(secretKey));
    }

    /** A new project id: 16 hex characters. */
    public static String projectId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The pair in an {@code Authorization: Basic} value (RFC 7617: base64 of {@code user:password},
     * split at the first colon), if it has the shape of one of ours; empty otherwise.
     */
    public static Optional<Presented> fromBasic(String authorization) {
        if (authorization == null || authorization.length() < 6 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            return Optional.empty();
        }
        String publicKey = decoded.substring(0, colon);
        String secretKey = decoded.substring(colon + 1);
        if (!PUBLIC.matcher(publicKey).matches() || !SECRET.matcher(secretKey).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Presented(publicKey, secretKey));
    }

    /** Whether an {@code Authorization} header is HTTP Basic at all (ours or not). */
    public static boolean isBasic(String authorization) {
        return authorization != null && authorization.length() >= 6 && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    /** Constant-time check of a presented secret against the stored hash. */
    public static boolean matches(String secretKey, byte[] storedHash) {
        return MessageDigest.isEqual(KeyFormat.sha256(secretKey), storedHash);
    }
}
