package io.flywheel.deploy.external;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which hosts deploy may call for external model versions ({@code deploy.external.allowed-hosts}).
 * A version's endpoint comes from registry metadata that anyone who can register a version writes,
 * so without this list a version could make deploy call its own network (SSRF).
 *
 * <p>Patterns, one per entry:
 * <ul>
 *   <li>{@code models.example.com}: that host name exactly (case-insensitive, a trailing dot ignored);</li>
 *   <li>{@code *.example.com}: any name ending in {@code .example.com}, however many labels deep, but
 *       not {@code example.com} itself;</li>
 *   <li>{@code 10.0.0.7}: that IPv4 address, written as four decimal numbers;</li>
 *   <li>{@code [fd00::7]}: that IPv6 address (compared as addresses, so {@code [fd00:0::7]} is the same);</li>
 *   <li>each may end in {@code :8080} (that port only) or {@code :*} (any port). Without a port only the
 *       scheme's default port is permitted (80 for http, 443 for https), so allowing a host does not
 *       open every other service on it.</li>
 * </ul>
 * An empty list permits nothing.
 *
 * <p>A URL is refused unless it is absolute {@code http} or {@code https}, has a host, has no user
 * info ({@code http://allowed@evil} names the host {@code evil}), no query and no fragment (it is a
 * base URL: deploy appends {@code /infer} and {@code /ready}), and its host is written canonically:
 * letters, digits, dots and hyphens, a dotted-quad IPv4 address or a bracketed IPv6 address without a
 * zone. IPv4 in other notations ({@code 2130706433}, {@code 0x7f.1}, {@code 127.1}, {@code 0177.0.0.1})
 * is refused, because resolvers read such names as addresses that no pattern spelled out.
 *
 * <p>Redirects are never followed (the client is built with {@code Redirect.NEVER}): a 3xx answer is
 * a failure of the endpoint, whatever host it points to, so a permitted host can't hand deploy on to
 * one that isn't. The list judges the name in the URL, not what DNS answers for it: a permitted name
 * is trusted to resolve where its owner says.
 */
public final class HostAllowList {

    /** Why a URL or a pattern is refused; the message says what to fix. */
    public static final class RefusedException extends IllegalArgumentException {
        public RefusedException(String message) {
            super(message);
        }
    }

    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*");
    private static final int ANY_PORT = -2;
    private static final int DEFAULT_PORT = -1;

    /** One parsed pattern: a host (name, wildcard suffix or canonical address) and a port rule. */
    private record Entry(String host, boolean wildcard, int port, String text) {
        boolean matches(String canonicalHost, int port, int defaultPort) {
            boolean hostMatches = wildcard ? canonicalHost.endsWith(host) && canonicalHost.length() > host.length()
                    : canonicalHost.equals(host);
            if (!hostMatches) {
                return false;
            }
            return switch (this.port) {
                case ANY_PORT -> true;
                case DEFAULT_PORT -> port == defaultPort;
                default -> port == this.port;
            };
        }
    }

    private final List<Entry> entries;

    private HostAllowList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * @param patterns the configured patterns (blank entries ignored)
     * @throws RefusedException naming the first pattern that is not one of the forms above
     */
    public static HostAllowList of(List<String> patterns) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : patterns) {
            if (raw == null || raw.isBlank()) {
                continue;
            }
            entries.add(entry(raw.strip()));
        }
        return new HostAllowList(entries);
    }

    public static HostAllowList none() {
        return new HostAllowList(List.of());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The URL, checked: permitted or a {@link RefusedException} saying why not. The returned URI is the
     * one to call (trailing slashes of the path removed), never re-parsed from text afterwards.
     */
    public URI check(String url) {
        if (url == null || url.isBlank()) {
            throw new RefusedException("the endpoint has no url");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new RefusedException("the endpoint url '" + url + "' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new RefusedException("the endpoint url '" + url + "' must be http or https");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedException("the endpoint url '" + url + "' has user info (before '@'); put credentials in auth.secret_ref");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new RefusedException("the endpoint url '" + url + "' has a query or fragment; give the model's base URL, deploy appends /infer and /ready");
        }
        if (uri.getHost() == null) {
            // java.net.URI leaves the host null when the authority is not a plain host[:port] (e.g. '_', '%', non-ASCII)
            throw new RefusedException("the endpoint url '" + url + "' has no host deploy can check (only letters, digits, '.' and '-', or an IP address)");
        }
        String host = canonicalHost(uri.getHost(), url);
        int defaultPort = "https".equals(scheme) ? 443 : 80;
        int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        for (Entry e : entries) {
            if (e.matches(host, port, defaultPort)) {
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                while (path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
                try {
                    return new URI(scheme + "://" + uri.getRawAuthority() + path);
                } catch (URISyntaxException ex) {
                    throw new RefusedException("the endpoint url '" + url + "' is not a valid URL: " + ex.getReason());
                }
            }
        }
        throw new RefusedException(entries.isEmpty()
                ? "deploy calls no external hosts (deploy.external.allowed-hosts is empty); ask an operator to allow '" + hostPort(host, port) + "'"
                : "host '" + hostPort(host, port) + "' is not in deploy's allow-list (deploy.external.allowed-hosts)");
    }

    /** Whether the URL is permitted (no reason given). */
    public boolean permits(String url) {
        try {
            check(url);
            return true;
        } catch (RefusedException e) {
            return false;
        }
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * A host as it is compared: lower case without a trailing dot; IPv6 as its full address text;
     * IPv4 only as a canonical dotted quad.
     */
    private static String canonicalHost(String host, String url) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return ipv6(h, "the endpoint url '" + url + "'");
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (!HOST_NAME.matcher(h).matches()) {
            throw new RefusedException("the endpoint url '" + url + "' has a host that is not a plain name or address");
        }
        if (NUMERIC_LOOKING.matcher(h).matches() && !DOTTED_QUAD.matcher(h).matches() || DOTTED_QUAD.matcher(h).matches() && !validQuad(h)) {
            throw new RefusedException("the endpoint url '" + url + "' writes an IPv4 address in a form other than a.b.c.d (0-255 each)");
        }
        return h;
    }

    private static Entry entry(String raw) {
        String text = raw.toLowerCase(Locale.ROOT);
        String hostPart = text;
        String portPart = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close > 0 && close + 1 < text.length()) {
                if (text.charAt(close + 1) != ':') {
                    throw new RefusedException("allowed host '" + raw + "': after an IPv6 address only ':port' may follow");
                }
                hostPart = text.substring(0, close + 1);
                portPart = text.substring(close + 2);
            }
        } else if (text.indexOf(':') >= 0) {
            hostPart = text.substring(0, text.indexOf(':'));
            portPart = text.substring(text.indexOf(':') + 1);
        }
        int port = DEFAULT_PORT;
        if (portPart != null) {
            if (portPart.equals("*")) {
                port = ANY_PORT;
            } else {
                try {
                    port = Integer.parseInt(portPart);
                } catch (NumberFormatException e) {
                    throw new RefusedException("allowed host '" + raw + "': the port must be a number or '*'");
                }
                if (port < 1 || port > 65535) {
                    throw new RefusedException("allowed host '" + raw + "': the port must be 1-65535");
                }
            }
        }
        if (hostPart.startsWith("[")) {
            return new Entry(ipv6(hostPart, "allowed host '" + raw + "'"), false, port, raw);
        }
        boolean wildcard = hostPart.startsWith("*.");
        String name = wildcard ? hostPart.substring(2) : hostPart;
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!HOST_NAME.matcher(name).matches() || name.contains("*")) {
            throw new RefusedException("allowed host '" + raw + "' is not a host name, '*.' followed by a domain, an IPv4 address or a bracketed IPv6 address");
        }
        boolean numeric = NUMERIC_LOOKING.matcher(name).matches();
        if (numeric && (wildcard || !DOTTED_QUAD.matcher(name).matches() || !validQuad(name))) {
            throw new RefusedException("allowed host '" + raw + "': write an IPv4 address as a.b.c.d (0-255 each), without a wildcard");
        }
        if (wildcard && !name.contains(".")) {
            throw new RefusedException("allowed host '" + raw + "': a wildcard needs a domain of at least two labels (*.example.com)");
        }
        return new Entry(wildcard ? "." + name : name, wildcard, port, raw);
    }

    private static boolean validQuad(String h) {
        for (String part : h.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** "[::1]" → "0:0:0:0:0:0:0:1"; IPv4-mapped addresses come back as the IPv4 address. No DNS: literals only. */
    private static String ipv6(String bracketed, String what) {
        if (!bracketed.startsWith("[") || !bracketed.endsWith("]")) {
            throw new RefusedException(what + " has a malformed IPv6 address");
        }
        String literal = bracketed.substring(1, bracketed.length() - 1);
        if (literal.isEmpty() || literal.contains("%") || !literal.matches("[0-9a-f:.]+") || !literal.contains(":")) {
            throw new RefusedException(what + " has an IPv6 address deploy does not take (no zone ids)");
        }
        try {
            return Optional.of(InetAddress.getByName(literal)).map(InetAddress::getHostAddress).orElseThrow();
        } catch (UnknownHostException e) {
            throw new RefusedException(what + " has a malformed IPv6 address");
        }
    }

    @Override
    public String toString() {
        return entries.stream().map(Entry::text).toList().toString();
    }
}
