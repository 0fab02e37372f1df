package io.flywheel.retrain.code;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Whether a webhook call comes from the forge that knows the shared secret. Plain Java; every
 * comparison takes the same time whatever matches.
 *
 * <ul>
 *   <li>GitHub: {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw body keyed with the secret.</li>
 *   <li>GitLab: {@code X-Gitlab-Token: <secret>}, the secret itself.</li>
 * </ul>
 */
public final class WebhookSignatures {

    private static final String PREFIX = "sha256=";

    private WebhookSignatures() {
    }

    /** Whether {@code header} is {@code sha256=} and the HMAC-SHA256 of {@code body} under {@code secret}. */
    public static boolean github(String secret, byte[] body, String header) {
        if (secret == null || secret.isEmpty() || header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(header.substring(PREFIX.length()).strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(secret, body), claimed);
    }

    /** Whether {@code token} is {@code secret}. */
    public static boolean gitlab(String secret, String token) {
        if (secret == null || secret.isEmpty() || token == null) {
            return false;
        }
        // compare digests: equal lengths, so the time does not tell how long the secret is
        return MessageDigest.isEqual(sha256(secret.getBytes(StandardCharsets.UTF_8)), sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code sha256=<hex>} of {@code body}: what GitHub sends (and what a test or a script signs with). */
    public static String githubHeader(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmacSha256(secret, body));
    }

    private static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
