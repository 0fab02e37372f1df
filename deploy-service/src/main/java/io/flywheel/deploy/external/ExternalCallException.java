package io.flywheel.deploy.external;

import java.time.Duration;

/**
 * A call to an external v2 endpoint that did not give an answer, classified by whose fault it is
 * and what deploy's own caller should get:
 *
 * <table>
 *   <caption>kinds</caption>
 *   <tr><th>kind</th><th>when</th><th>deploy answers</th><th>breaker</th></tr>
 *   <tr><td>INVALID_INPUT</td><td>the endpoint answered 400 or 422 (its message is kept)</td><td>400</td><td>success</td></tr>
 *   <tr><td>TIMEOUT</td><td>no answer within the read timeout</td><td>504</td><td>failure</td></tr>
 *   <tr><td>UNAVAILABLE</td><td>connection refused or reset, 503, 429</td><td>503 + Retry-After</td><td>failure</td></tr>
 *   <tr><td>CIRCUIT_OPEN</td><td>the breaker refused the call (nothing was sent)</td><td>503 + Retry-After</td><td>—</td></tr>
 *   <tr><td>BAD_GATEWAY</td><td>any other status (5xx, 401/403: our credentials, 404: our URL, 3xx: redirects are not followed), or an answer that is not a v2 response</td><td>502</td><td>failure</td></tr>
 *   <tr><td>NOT_CALLABLE</td><td>deploy can't call it at all: host not allowed, secret missing</td><td>503</td><td>—</td></tr>
 * </table>
 *
 * Messages name the endpoint's URL and status, never the auth header's value. Created without a
 * stack trace (these are expected outcomes, counted, not bugs).
 */
public final class ExternalCallException extends RuntimeException {

    public enum Kind {
        INVALID_INPUT(400, "invalid-input"),
        TIMEOUT(504, "timeout"),
        UNAVAILABLE(503, "unavailable"),
        CIRCUIT_OPEN(503, "circuit-open"),
        BAD_GATEWAY(502, "bad-gateway"),
        NOT_CALLABLE(503, "not-callable");

        private final int status;
        private final String reason;

        Kind(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        /** The HTTP status deploy answers its caller with. */
        public int status() {
            return status;
        }

        /** A short tag value for metrics and problem types. */
        public String reason() {
            return reason;
        }

        /** Whether this outcome counts against the endpoint in its circuit breaker. */
        public boolean endpointFault() {
            return this == TIMEOUT || this == UNAVAILABLE || this == BAD_GATEWAY;
        }
    }

    private final Kind kind;
    private final int remoteStatus;
    private final Duration retryAfter;

    public ExternalCallException(Kind kind, String message, int remoteStatus, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.remoteStatus = remoteStatus;
        this.retryAfter = retryAfter;
    }

    public ExternalCallException(Kind kind, String message) {
        this(kind, message, 0, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The endpoint's HTTP status, 0 when it gave none. */
    public int remoteStatus() {
        return remoteStatus;
    }

    /** For 503s: when to try again (the breaker's remaining cool-down, or the endpoint's Retry-After); null if unknown. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
