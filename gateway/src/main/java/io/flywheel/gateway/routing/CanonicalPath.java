package io.flywheel.gateway.routing;

import java.util.Locale;
import java.util.Optional;

/**
 * One reading of a request's path for every decision the gateway makes, so that the role check, the
 * limits and the router can't disagree about which route a request is for. A path the router and the
 * services could read in more than one way is refused outright: matrix parameters ({@code ;x},
 * which JAX-RS drops and Vert.x keeps), empty segments ({@code //}), dot segments, encoded slashes,
 * dots and backslashes. What is left is decided on in lower case without a trailing slash, so
 * {@code /API/v1/Keys/} is judged as {@code /api/v1/keys}. Plain Java, unit-tested on its own.
 */
public final class CanonicalPath {

    private CanonicalPath() {
    }

    /** Why a raw path is refused, or empty when it has one reading. */
    public static Optional<String> refusal(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return Optional.of("the path must start with '/'");
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.indexOf(';') >= 0 || lower.contains("%3b")) {
            return Optional.of("the path may not carry matrix parameters (';')");
        }
        if (lower.contains("//")) {
            return Optional.of("the path may not have empty segments ('//')");
        }
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.indexOf('\\') >= 0) {
            return Optional.of("the path may not contain encoded '.', '/' or '\\'");
        }
        for (String segment : lower.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("the path may not contain '.' or '..' segments");
            }
        }
        return Optional.empty();
    }

    /** The path as decisions read it: lower case, no trailing slash (but "/" stays "/"). */
    public static String forDecisions(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        while (lower.length() > 1 && lower.endsWith("/")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        return lower;
    }
}
