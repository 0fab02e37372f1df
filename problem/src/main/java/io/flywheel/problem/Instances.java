package io.flywheel.problem;

import java.nio.charset.StandardCharsets;

/**
 * Turns whatever path a client sent into a valid URI reference for a problem's {@code instance}:
 * characters a path may not hold are percent-encoded, valid escapes are kept, and very long paths are
 * cut (an instance names the request; it need not echo 60 KB back).
 */
final class Instances {

    static final int MAX_LENGTH = 512;
    private static final String ALLOWED = "-._~!$&'()*+,;=:@/";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Instances() {
    }

    static String of(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(rawPath.length(), MAX_LENGTH) + 16);
        int i = 0;
        while (i < rawPath.length() && out.length() < MAX_LENGTH) {
            int c = rawPath.codePointAt(i);
            if (c == '%' && i + 2 < rawPath.length() && isHex(rawPath.charAt(i + 1)) && isHex(rawPath.charAt(i + 2))) {
                out.append(rawPath, i, i + 3);
                i += 3;
                continue;
            }
            if (c < 128 && (Character.isLetterOrDigit(c) || ALLOWED.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            }
            i += Character.charCount(c);
        }
        return i < rawPath.length() ? out + "..." : out.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
