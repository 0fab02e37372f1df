package io.flywheel.monitor.rest;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.flywheel.monitor.BadRequestException;
import io.flywheel.monitor.MonitorException;
import io.flywheel.monitor.NotFoundException;
import io.flywheel.monitor.UnprocessableException;
import io.flywheel.monitor.UpstreamUnavailableException;
import io.flywheel.monitor.storage.StorageUnavailableException;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;
import java.util.Map;

/**
 * The one table from domain exceptions to {@code application/problem+json} (RFC 9457). Framework
 * errors (validation, unknown routes) are mapped by quarkus-resteasy-problem; malformed JSON here,
 * with where the body broke.
 */
public class ProblemMapping {

    private record Kind(int status, String title, String type) {
    }

    private static final Map<Class<? extends MonitorException>, Kind> KINDS = Map.of(
            BadRequestException.class, new Kind(400, "Bad Request", "invalid-request"),
            NotFoundException.class, new Kind(404, "Not Found", "not-found"),
            UnprocessableException.class, new Kind(422, "Unprocessable Content", "unprocessable"),
            UpstreamUnavailableException.class, new Kind(502, "Bad Gateway", "upstream-unavailable"));

    @ServerExceptionMapper
    public Response monitor(MonitorException e, UriInfo uri) {
        Kind kind = KINDS.getOrDefault(e.getClass(), new Kind(400, "Bad Request", "invalid-request"));
        return problem(kind.status(), kind.title(), kind.type(), e.getMessage(), uri).build();
    }

    @ServerExceptionMapper
    public Response storageUnavailable(StorageUnavailableException e, UriInfo uri) {
        return problem(503, "Service Unavailable", "storage-unavailable",
                "the object store is unavailable; retry later", uri)
                .header("Retry-After", "5").build();
    }

    /**
     * Quarkus answers a body that is not JSON with a bare 400: say where it broke. This outranks
     * quarkus-resteasy-problem's own mapper (priority 999), so other web exceptions (404, 405, 415,
     * ...) are rendered here the same way it would, headers included.
     */
    @ServerExceptionMapper(priority = 500)
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        while (cause != null && !(cause instanceof StreamReadException) && !(cause instanceof MismatchedInputException)
                && cause.getCause() != cause) {
            cause = cause.getCause(); // a blocking endpoint gets the parse error wrapped once more
        }
        if (cause instanceof MismatchedInputException shape) {
            return mismatchedInput(shape, uri);
        }
        if (cause instanceof StreamReadException json) {
            String where = json.getLocation() == null ? ""
                    : " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
            return problem(400, "Bad Request", "malformed-json", "the body is not valid JSON: " + json.getOriginalMessage() + where, uri)
                    .build();
        }
        Response original = e.getResponse();
        Response.ResponseBuilder response = problem(original.getStatus(), original.getStatusInfo().getReasonPhrase(), null, e.getMessage(), uri);
        original.getHeaders().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    /** JSON of the wrong shape (an object where a list belongs...): say which field. */
    @ServerExceptionMapper(priority = 500)
    public Response mismatchedInput(MismatchedInputException shape, UriInfo uri) {
        String path = shape.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
        return problem(400, "Bad Request", "malformed-json", "the body does not have the expected shape at '" + path
                + "': " + shape.getOriginalMessage(), uri).build();
    }

    static Response.ResponseBuilder problem(int status, String title, String type, String detail, UriInfo uri) {
        HttpProblem body = HttpProblem.builder()
                .withType(type == null ? null : URI.create("urn:flywheel:problem:" + type))
                .withStatus(status)
                .withTitle(title)
                .withDetail(detail)
                .withInstance(URI.create(uri.getRequestUri().getRawPath()))
                .build();
        return Response.status(status).type(HttpProblem.MEDIA_TYPE).entity(body);
    }
}
