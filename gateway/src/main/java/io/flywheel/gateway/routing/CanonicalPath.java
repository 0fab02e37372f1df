package io.flywheel.gateway.routing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One reading of a request's path for every decision the gateway makes, so that the role check, the
 * limits and the router can't disagree about which route a request is for. A path the router and the
 * services could read in more than one way is refused outright: matrix parameters ({@code ;x},
 * which JAX-RS drops and Vert.x keeps), empty segments ({@code //}), dot segments, encoded slashes,
 * dots and backslashes. What is left is decided on in lower case without a trailing slash, so
 * {@code /API/v1/Keys/} is judged as {@code /api/v1/keys}. Plain Java, unit-tested on its own.
 *
 * <p>One exception: Langfuse's SDKs send a prompt's or dataset's name as one URL-encoded segment, so a
 * name with folders arrives as {@code team-a%2Fsummarizer}. An encoded slash is taken in exactly that
 * segment, the one after {@link #NAME_SEGMENT_PREFIXES}, where it stays encoded through the router and
 * the proxy and is decoded by the service as part of the name; nowhere else, and never making a
 * {@code .} or {@code ..} part of the name.
 */
public final class CanonicalPath {

    /** Routes whose next segment is a Langfuse name that may hold an encoded '/'. */
    static final List<String> NAME_SEGMENT_PREFIXES = List.of("/api/public/v2/prompts/", "/api/public/v2/datasets/",
            "/api/public/datasets/");

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
        String rest = withoutNameSlashes(lower);
        if (rest == null) {
            return Optional.of("a name's encoded '/' may not make '.' or '..' folders");
        }
        if (lower.contains("%2e") || rest.contains("%2f") || lower.contains("%5c") || lower.indexOf('\\') >= 0) {
            return Optional.of("the path may not contain encoded '.', '/' or '\\'");
        }
        for (String segment : lower.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("the path may not contain '.' or '..' segments");
            }
        }
        return Optional.empty();
    }

    /**
     * The path with the encoded slashes of a Langfuse name's segment taken out (so the check for
     * others sees none there); null when one of the name's parts would be '.' or '..'.
     */
    private static String withoutNameSlashes(String lower) {
        for (String prefix : NAME_SEGMENT_PREFIXES) {
            if (lower.startsWith(prefix)) {
                int start = prefix.length();
                int end = lower.indexOf('/', start);
                end = end < 0 ? lower.length() : end;
                String segment = lower.substring(start, end);
                if (!segment.contains("%2f")) {
                    return lower;
                }
                for (String part : segment.split("%2f", -1)) {
                    if (part.equals(".") || part.equals("..")) {
                        return null;
                    }
                }
                return lower.substring(0, start) + segment.replace("%2f", "") + lower.substring(end);
            }
        }
        return lower;
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
