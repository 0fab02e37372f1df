package io.flywheel.problem;

import java.util.Map;

/**
 * Titles and default problem types of HTTP statuses, for errors that carry no type of their own
 * (a route that doesn't exist, a method a route doesn't take, a body too large for the server).
 */
public final class Statuses {

    private record Kind(String reason, String type) {
    }

    private static final Map<Integer, Kind> KINDS = Map.ofEntries(
            Map.entry(400, new Kind("Bad Request", "bad-request")),
            Map.entry(401, new Kind("Unauthorized", "unauthorized")),
            Map.entry(403, new Kind("Forbidden", "forbidden")),
            Map.entry(404, new Kind("Not Found", "not-found")),
            Map.entry(405, new Kind("Method Not Allowed", "method-not-allowed")),
            Map.entry(406, new Kind("Not Acceptable", "not-acceptable")),
            Map.entry(408, new Kind("Request Timeout", "request-timeout")),
            Map.entry(409, new Kind("Conflict", "conflict")),
            Map.entry(410, new Kind("Gone", "gone")),
            Map.entry(411, new Kind("Length Required", "length-required")),
            Map.entry(412, new Kind("Precondition Failed", "precondition-failed")),
            Map.entry(413, new Kind("Content Too Large", "too-large")),
            Map.entry(414, new Kind("URI Too Long", "uri-too-long")),
            Map.entry(415, new Kind("Unsupported Media Type", "unsupported-media-type")),
            Map.entry(416, new Kind("Range Not Satisfiable", "range-not-satisfiable")),
            Map.entry(422, new Kind("Unprocessable Content", "unprocessable")),
            Map.entry(428, new Kind("Precondition Required", "precondition-required")),
            Map.entry(429, new Kind("Too Many Requests", "rate-limited")),
            Map.entry(431, new Kind("Request Header Fields Too Large", "headers-too-large")),
            Map.entry(500, new Kind("Internal Server Error", "internal")),
            Map.entry(501, new Kind("Not Implemented", "not-implemented")),
            Map.entry(502, new Kind("Bad Gateway", "upstream-unavailable")),
            Map.entry(503, new Kind("Service Unavailable", "service-unavailable")),
            Map.entry(504, new Kind("Gateway Timeout", "upstream-timeout")));

    private Statuses() {
    }

    public static String reason(int status) {
        Kind kind = KINDS.get(status);
        return kind != null ? kind.reason() : status >= 500 ? "Server Error" : "Client Error";
    }

    public static String defaultType(int status) {
        Kind kind = KINDS.get(status);
        return kind != null ? kind.type() : status >= 500 ? "internal" : "bad-request";
    }

    /** What to do about an error that carries no detail of its own. */
    public static String defaultDetail(int status) {
        return switch (status) {
            case 400 -> "the request is malformed; see the OpenAPI document (/openapi) for this operation";
            case 401 -> "this call needs valid credentials";
            case 403 -> "the caller may not do this";
            case 404 -> "there is no such resource or route; see the OpenAPI document (/openapi) for the routes";
            case 405 -> "this route does not take that method; the Allow header lists the ones it takes";
            case 406 -> "this route can't answer in the media type the Accept header asks for; accept application/json";
            case 411 -> "send the body with a Content-Length header";
            case 413 -> "the body is larger than this route takes; send less";
            case 414 -> "the URI is longer than this server takes; move data from the query to a body";
            case 415 -> "this route does not take a body of that Content-Type; see the OpenAPI document (/openapi)";
            case 431 -> "the request's headers are larger than this server takes; send fewer or shorter headers";
            case 503 -> "the service can't take this request now; retry after the Retry-After delay";
            default -> reason(status);
        };
    }
}
