package io.flywheel.problem;

import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The size of a request, checked before anything else spends work on it, each refusal a problem: a
 * request target over {@code flywheel.http.max-uri-length} is a 414, headers over
 * {@code max-header-bytes} a 431, a body over its route's limit a 413 before a byte of it is read
 * (a chunked body is cut off by Quarkus's request stream at the same limit), and a body of unknown
 * length a 411 where the route asks for lengths ({@link HttpLimits}).
 *
 * <p>Netty's and Quarkus's own limits are set far above these (this module's
 * META-INF/microprofile-config.properties), so it is this filter, with a problem body, that refuses,
 * not the HTTP codec or Quarkus's global check with an empty one.
 */
@ApplicationScoped
public class RequestLimits {

    private record Route(Pattern route, long maxBytes, boolean lengthRequired) {
    }

    private static final java.util.Set<HttpMethod> WRITES = java.util.Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private final HttpLimits limits;
    private final List<Route> routes;
    private final long defaultMaxBytes;

    public RequestLimits(HttpLimits limits) {
        this.limits = limits;
        this.routes = limits.bodyRoutes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Route(Pattern.compile(e.getValue().route()), e.getValue().maxSize().asLongValue(),
                        e.getValue().lengthRequired()))
                .toList();
        this.defaultMaxBytes = limits.maxBodySize().asLongValue();
    }

    /** Before every other filter: nothing else should spend work on a request that is too big. */
    void register(@Observes Filters filters) {
        filters.register(this::check, Integer.MAX_VALUE);
    }

    private void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String target = request.uri();
        if (target.length() > limits.maxUriLength()) {
            Problem.of(414, "uri-too-long", "the request target has " + request.uri().length() + " characters; at most "
                    + limits.maxUriLength() + " are taken: send large inputs in a body").send(rc);
            return;
        }
        var malformed = malformed(target);
        if (malformed.isPresent()) {
            Problem.of(400, "bad-request-target", malformed.get()).send(rc);
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > limits.maxHeaderBytes()) {
            Problem.of(431, "headers-too-large", "the headers hold " + headerBytes + " bytes; at most "
                    + limits.maxHeaderBytes() + " are taken").send(rc);
            return;
        }
        String length = request.getHeader("Content-Length");
        // HTTP/2 frames a body without announcing it: a write whose stream is still open has one
        boolean streamed = request.getHeader("Transfer-Encoding") != null
                || request.version() == HttpVersion.HTTP_2 && !request.isEnded() && WRITES.contains(request.method());
        if (length == null && !streamed) {
            rc.next(); // no body at all
            return;
        }
        String methodAndPath = request.method().name() + " " + rc.normalizedPath();
        Route route = routes.stream().filter(r -> r.route().matcher(methodAndPath).matches()).findFirst()
                .orElse(new Route(null, defaultMaxBytes, limits.lengthRequired()));
        if (length == null) {
            if (route.lengthRequired()) {
                Problem.of(411, "length-required", "send this body with a Content-Length header (at most " + route.maxBytes()
                        + " bytes)").send(rc);
                return;
            }
            rc.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, route.maxBytes());
            rc.next();
            return;
        }
        long announced;
        try {
            announced = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            Problem.of(400, "bad-content-length", "Content-Length must be a number of bytes").send(rc);
            return;
        }
        if (announced > route.maxBytes()) {
            // the body will never be used: the connection ends after the answer (HTTP/2 resets only the stream)
            rc.response().putHeader("Connection", "close");
            if (request.version() != HttpVersion.HTTP_2) {
                closeWhenDrained(rc, announced);
            }
            Problem.of(413, "too-large", "this route takes bodies of at most " + route.maxBytes() + " bytes; this one has "
                    + announced + ": send less" + (route.route() == null ? "" : " (or split it)")).send(rc);
            return;
        }
        rc.next();
    }

    /**
     * A lingering close: what the peer has already sent is read and dropped (up to
     * {@link #LINGER_BYTES}, for at most {@link #LINGER_MILLIS}) before the socket closes. Closing a
     * socket with unread bytes in it sends a reset, and a reset can destroy the 413 in the peer's
     * receive buffer before it is read; a proxy streaming the body (the gateway) then sees a broken
     * connection instead of the answer.
     */
    private static void closeWhenDrained(RoutingContext rc, long announced) {
        HttpServerRequest request = rc.request();
        var state = new Object() {
            long dropped;
            boolean answered;
            boolean drained;
            boolean closed;

            void closeIfDone(boolean force) {
                if (!closed && (force || answered && drained)) {
                    closed = true;
                    request.connection().close();
                }
            }
        };
        long timer = rc.vertx().setTimer(LINGER_MILLIS, id -> state.closeIfDone(true));
        rc.response().endHandler(sent -> {
            state.answered = true;
            state.closeIfDone(false);
        });
        request.handler(chunk -> {
            state.dropped += chunk.length();
            if (state.dropped > LINGER_BYTES) {
                state.closeIfDone(true);
            }
        });
        request.endHandler(end -> {
            rc.vertx().cancelTimer(timer);
            state.drained = true;
            state.closeIfDone(false);
        });
        request.exceptionHandler(e -> state.closeIfDone(true));
        if (announced == 0) {
            state.drained = true;
        }
        request.resume();
    }

    /** How much of a refused body is read and dropped, and for how long, before the connection closes. */
    static final long LINGER_BYTES = 8L * 1024 * 1024;
    static final long LINGER_MILLIS = 2_000;

    /**
     * Why a request target can't be taken: not a URI (a character that must be percent-encoded, an
     * escape that is not %XX), or a NUL, which no text column can keep. Quarkus checks the first
     * itself before any route unless {@code -Dvertx.disableURIValidation=true}, and then answers a bare
     * 400; the services run with that flag so that this problem is the answer.
     */
    static java.util.Optional<String> malformed(String target) {
        try {
            new java.net.URI(target);
        } catch (java.net.URISyntaxException e) {
            return java.util.Optional.of("the request target is not a valid URI (" + e.getReason() + " at character " + e.getIndex()
                    + "): percent-encode characters such as space, '{', '|' or '%' itself");
        }
        if (target.contains("%00")) {
            return java.util.Optional.of("the request target may not contain NUL (%00)");
        }
        return java.util.Optional.empty();
    }
}
