package io.flywheel.registry.storage;

import io.flywheel.registry.InvalidRequestException;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The {@code Digest} header of RFC 3230 ({@code Digest: sha-256=<base64>}), the form the registry
 * takes on uploads and sends on downloads. Other algorithms in the same header are ignored.
 */
public final class ContentDigest {

    private static final HexFormat HEX = HexFormat.of();

    private ContentDigest() {
    }

    /** The SHA-256 (lower-case hex) a Digest header announces, or null when it names none. */
    public static String sha256Hex(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String algorithm = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!algorithm.equals("sha-256")) {
                continue;
            }
            String value = part.substring(eq + 1).trim();
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                throw invalid(header);
            }
            if (bytes.length != 32) {
                throw invalid(header);
            }
            return HEX.formatHex(bytes);
        }
        throw new InvalidRequestException("the Digest header names no sha-256 value; send Digest: sha-256=<base64 of the SHA-256 of the body>");
    }

    /** {@code sha-256=<base64>} for a hex SHA-256. */
    public static String header(String sha256Hex) {
        return "sha-256=" + Base64.getEncoder().encodeToString(HEX.parseHex(sha256Hex));
    }

    private static InvalidRequestException invalid(String header) {
        return new InvalidRequestException("the Digest header '" + header
                + "' is not sha-256=<base64 of 32 bytes> (RFC 3230); e.g. sha-256=" + header("0".repeat(64)));
    }
}
