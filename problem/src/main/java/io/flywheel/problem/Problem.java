package io.flywheel.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem: what went wrong ({@code detail}), which kind of problem it is ({@code type},
 * a stable URN whose last part names what to fix, e.g. {@code urn:flywheel:problem:malformed-json})
 * and where ({@code instance}, the request's path). Every error a service answers is one of these,
 * whoever produced it. Building and rendering one never throws: an error answer must not fail.
 *
 * @param retryAfter seconds for a {@code Retry-After} header; every 503 carries one (5 s unless set)
 * @param extensions further members (e.g. {@code violations}, {@code service}), rendered as given
 */
public record Problem(int status, String type, String title, String detail, String instance, Integer retryAfter,
                      Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:flywheel:problem:";
    static final int DEFAULT_RETRY_AFTER_SECONDS = 5;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public Problem {
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** A problem of this status and type ({@code not-found}, not the whole URN); the title is the status's reason. */
    public static Problem of(int status, String type, String detail) {
        return new Problem(status, type, Statuses.reason(status), detail, null, null, null);
    }

    /** A problem whose type is the usual one for its status ({@link Statuses#defaultType}). */
    public static Problem ofStatus(int status, String detail) {
        return of(status, Statuses.defaultType(status), detail);
    }

    public Problem titled(String newTitle) {
        return new Problem(status, type, newTitle, detail, instance, retryAfter, extensions);
    }

    /** The request's raw path as the instance; made a valid URI reference whatever the client sent. */
    public Problem at(String rawPath) {
        return new Problem(status, type, title, detail, Instances.of(rawPath), retryAfter, extensions);
    }

    public Problem retryAfter(int seconds) {
        return new Problem(status, type, title, detail, instance, seconds, extensions);
    }

    public Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        if (value != null) {
            more.put(name, value);
        }
        return new Problem(status, type, title, detail, instance, retryAfter, more);
    }

    public String typeUri() {
        return TYPE_PREFIX + (type == null ? Statuses.defaultType(status) : type);
    }

    /** Seconds for Retry-After, or null when none is sent. */
    public Integer retryAfterSeconds() {
        return retryAfter != null ? retryAfter : status == 503 ? DEFAULT_RETRY_AFTER_SECONDS : null;
    }

    public String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", typeUri());
        body.put("title", title == null ? Statuses.reason(status) : title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (instance != null) {
            body.put("instance", instance);
        }
        extensions.forEach(body::putIfAbsent);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException | RuntimeException e) {
            // an extension that can't be rendered: the problem still goes out, without its extensions
            body.keySet().retainAll(java.util.Set.of("type", "title", "status", "detail", "instance"));
            try {
                return JSON.writeValueAsString(body);
            } catch (JsonProcessingException impossible) {
                return "{\"type\":\"" + TYPE_PREFIX + "internal\",\"status\":" + status + "}";
            }
        }
    }

    /** As a JAX-RS response (for exception mappers). */
    public Response toResponse() {
        return responseBuilder().build();
    }

    /** As a JAX-RS response builder, for a mapper that adds headers of its own. */
    public Response.ResponseBuilder responseBuilder() {
        Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE).entity(toJson());
        Integer seconds = retryAfterSeconds();
        if (seconds != null) {
            response.header("Retry-After", seconds);
        }
        return response;
    }

    /** Answers a Vert.x request with this problem (for filters and router handlers); nothing if already answered. */
    public void send(RoutingContext rc) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        Problem located = instance == null ? at(rc.request().path()) : this;
        rc.response().setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE);
        Integer seconds = retryAfterSeconds();
        if (seconds != null) {
            rc.response().putHeader("Retry-After", Integer.toString(seconds));
        }
        rc.response().end(located.toJson());
    }
}
